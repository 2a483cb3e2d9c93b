"""Randomly initialised FunASR models, saved as local model folders.

FunASR's weights cannot be downloaded on the CI machines, so the tests (and the CPU speed
benchmark) build the models with FunASR's own classes and random weights, in the layout a
downloaded model has (config.yaml, model.pt, tokens.json, am.mvn):

* ``streaming``: ParaformerStreaming (SANMEncoderChunkOpt, ParaformerSANMDecoder,
  CifPredictorV2), the architecture of paraformer-zh-streaming, from its real config and
  token list (``../shared/testdata/funasr/paraformer_online_config.yaml``) and ``am.mvn``.
* ``offline``: Paraformer (SANMEncoder), the architecture of paraformer-zh.
* ``vad``: FsmnVADStreaming (FSMN encoder, WavFrontendOnline). Random weights would make
  speech detection random, so the output layer is set to always favour "speech" and the
  VAD's own energy gate (``decibel_thres``) decides: an energy detector that runs through
  FunASR's real streaming state machine.
* ``punc``: CTTransformer (SANMEncoder), the architecture of ct-punc.
* ``sensevoice``: a small SenseVoiceSmall (always small), the other second-pass choice.

``size="tiny"`` shrinks every network (tests); ``size="full"`` keeps paraformer-large's
sizes (50 encoder blocks, 16 decoder blocks, 512 wide) for speed measurements.

    python tests/support/funasr_models.py --out /tmp/funasr-random --size full
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED_FUNASR = ROOT.parent / "shared" / "testdata" / "funasr"

FRONTEND = {
    "fs": 16000,
    "window": "hamming",
    "n_mels": 80,
    "frame_length": 25,
    "frame_shift": 10,
    "lfr_m": 7,
    "lfr_n": 6,
}
PUNC_LIST = ["<unk>", "_", "，", "。", "？", "、"]


def load_shared_config(folder: Path = SHARED_FUNASR) -> dict[str, Any]:
    """The real paraformer-large online config (older naming), with its token list."""
    text = (folder / "paraformer_online_config.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    config["token_list"] = _token_list(text)
    return config


def _token_list(text: str) -> list[str]:
    """The tokens exactly as written: YAML would turn "0", "no", "null" or "-" into other
    types. English pieces that occur twice are word-internal pieces the second time
    (FunASR marks those with "@@"), and FunASR's tokenizer refuses duplicates."""
    block = text.split("\ntoken_list:\n", 1)[1]
    tokens: list[str] = []
    seen: set[str] = set()
    for line in block.splitlines():
        if not line.startswith("- "):
            break
        token = line[2:]
        if token[:1] in "'\"":
            token = str(yaml.safe_load(token))
        if token in seen:
            token += "@@"
        seen.add(token)
        tokens.append(token)
    return tokens


def _sizes(config: dict[str, Any], size: str) -> tuple[dict, dict, dict]:
    encoder = dict(config["encoder_conf"])
    decoder = dict(config["decoder_conf"])
    predictor = dict(config["predictor_conf"])
    if size == "tiny":
        encoder.update(output_size=64, attention_heads=2, linear_units=128, num_blocks=2)
        decoder.update(attention_heads=2, linear_units=128, num_blocks=2, att_layer_num=2)
        predictor.update(idim=64)
    elif size != "full":
        raise ValueError(f"size must be tiny or full, not {size!r}")
    for conf in (encoder, decoder):
        for key in ("dropout_rate", "positional_dropout_rate", "attention_dropout_rate"):
            if key in conf:
                conf[key] = 0.0
    return encoder, decoder, predictor


def _sanm(width: int, heads: int, units: int) -> dict[str, Any]:
    """A SAN-M encoder configuration (no dropout: inference only)."""
    return {
        "output_size": width,
        "attention_heads": heads,
        "linear_units": units,
        "dropout_rate": 0.0,
        "positional_dropout_rate": 0.0,
        "attention_dropout_rate": 0.0,
        "input_layer": "pe",
        "pos_enc_class": "SinusoidalPositionEncoder",
        "normalize_before": True,
        "kernel_size": 11,
        "sanm_shfit": 0,
        "selfattention_layer_type": "sanm",
    }


def _save(model: Any, config: dict[str, Any], tokens: list[str] | None, out: Path) -> Path:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "model.pt")
    with open(out / "config.yaml", "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f, allow_unicode=True, sort_keys=False)
    if tokens is not None:
        (out / "tokens.json").write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
    (out / "RANDOM_WEIGHTS.txt").write_text(
        "Randomly initialised for tests and speed measurements: it recognises nothing.\n"
    )
    return out


def _build(config: dict[str, Any], tokens: list[str] | None, mvn: Path | None) -> Any:
    """Instantiate through FunASR's own construction path (AutoModel.build_model)."""
    from funasr.auto.auto_model import AutoModel

    kwargs = copy.deepcopy(config)
    kwargs["model_conf"] = kwargs.get("model_conf", {})
    kwargs["device"] = "cpu"
    kwargs["disable_log"] = True
    if tokens is not None:
        kwargs["tokenizer_conf"] = {**kwargs.get("tokenizer_conf", {}), "token_list": tokens}
    if mvn is not None:
        kwargs["frontend_conf"] = {**kwargs["frontend_conf"], "cmvn_file": str(mvn)}
    model, _ = AutoModel.build_model(**kwargs)
    return model


def _seed(seed: int) -> None:
    import torch

    torch.manual_seed(seed)


def paraformer(
    out: Path,
    streaming: bool,
    size: str = "tiny",
    shared: Path = SHARED_FUNASR,
    seed: int = 0,
) -> Path:
    """A random Paraformer (streaming or offline) with the real token list and front end."""
    import torch

    source = load_shared_config(shared)
    tokens = list(source["token_list"])
    encoder, decoder, predictor = _sizes(source, size)
    if not streaming:
        for key in (
            "chunk_size",
            "stride",
            "pad_left",
            "encoder_att_look_back_factor",
            "decoder_att_look_back_factor",
        ):
            encoder.pop(key, None)
        encoder["input_layer"] = "pe"
    config = {
        "model": "ParaformerStreaming" if streaming else "Paraformer",
        "model_conf": {
            k: source["model_conf"][k]
            for k in ("ctc_weight", "lsm_weight", "predictor_weight", "predictor_bias")
        },
        "encoder": "SANMEncoderChunkOpt" if streaming else "SANMEncoder",
        "encoder_conf": encoder,
        "decoder": "ParaformerSANMDecoder",
        "decoder_conf": decoder,
        "predictor": "CifPredictorV2",
        "predictor_conf": predictor,
        "frontend": "WavFrontend",
        "frontend_conf": dict(FRONTEND),
        "tokenizer": "CharTokenizer",
        "tokenizer_conf": {"unk_symbol": "<unk>", "split_with_space": True},
        "input_size": 560,
    }
    _seed(seed)
    model = _build(config, tokens, shared / "paraformer_online_am.mvn")
    with torch.no_grad():
        # Random weights fire the CIF predictor at random rates; a fixed bias makes it
        # emit a token about every 3 frames (~5 tokens/s, like speech) so there is text.
        model.predictor.cif_output.weight.mul_(0.01)
        model.predictor.cif_output.bias.fill_(-0.85)
        # Never predict <blank>/<s>/</s>: every emitted token is a character.
        model.decoder.output_layer.bias[:3] = -1e4
    out = _save(model, config, tokens, out)
    shutil.copyfile(shared / "paraformer_online_am.mvn", out / "am.mvn")
    return out


def fsmn_vad(out: Path, decibel_thres: float = -20.0, shared: Path = SHARED_FUNASR) -> Path:
    """FSMN-VAD whose network always says "speech": its energy gate decides."""
    import torch

    config = {
        "model": "FsmnVADStreaming",
        "model_conf": {
            "sample_rate": 16000,
            "detect_mode": 1,
            "snr_mode": 0,
            "max_end_silence_time": 800,
            "max_start_silence_time": 3000,
            "do_start_point_detection": True,
            "do_end_point_detection": True,
            "window_size_ms": 200,
            "sil_to_speech_time_thres": 150,
            "speech_to_sil_time_thres": 150,
            "speech_2_noise_ratio": 1.0,
            "do_extend": 1,
            "lookback_time_start_point": 200,
            "lookahead_time_end_point": 100,
            "max_single_segment_time": 60000,
            "snr_thres": -100.0,
            "noise_frame_num_used_for_snr": 100,
            "decibel_thres": decibel_thres,
            "speech_noise_thres": 0.6,
            "fe_prior_thres": 0.0001,
            "silence_pdf_num": 1,
            "sil_pdf_ids": [0],
            "speech_noise_thresh_low": -0.1,
            "speech_noise_thresh_high": 0.3,
            "output_frame_probs": False,
            "frame_in_ms": 10,
            "frame_length_ms": 25,
        },
        "encoder": "FSMN",
        "encoder_conf": {
            "input_dim": 400,
            "input_affine_dim": 140,
            "fsmn_layers": 4,
            "linear_dim": 250,
            "proj_dim": 128,
            "lorder": 20,
            "rorder": 0,
            "lstride": 1,
            "rstride": 0,
            "output_affine_dim": 140,
            "output_dim": 248,
        },
        "frontend": "WavFrontendOnline",
        "frontend_conf": {**FRONTEND, "lfr_m": 5, "lfr_n": 1, "dither": 0.0},
    }
    _seed(1)
    # The paraformer CMVN has 560 = 7 x 80 dimensions; FunASR uses the first 400 (5 x 80).
    model = _build(config, None, shared / "paraformer_online_am.mvn")
    with torch.no_grad():
        last = model.encoder.out_linear2.linear
        last.weight.mul_(0.0)
        last.bias.fill_(0.0)
        last.bias[0] = -30.0  # silence pdf: probability ~0
    out = _save(model, config, None, out)
    shutil.copyfile(shared / "paraformer_online_am.mvn", out / "am.mvn")
    return out


def ct_punc(out: Path, size: str = "tiny", shared: Path = SHARED_FUNASR) -> Path:
    """A random CT-Transformer punctuation model over the paraformer characters."""
    tokens = list(load_shared_config(shared)["token_list"])
    width = 64 if size == "tiny" else 256
    config = {
        "model": "CTTransformer",
        "model_conf": {
            "ignore_id": 0,
            "embed_unit": width,
            "att_unit": width,
            "dropout_rate": 0.0,
            "punc_list": PUNC_LIST,
            "punc_weight": [1.0] * len(PUNC_LIST),
            "sentence_end_id": 3,
        },
        "encoder": "SANMEncoder",
        "encoder_conf": {
            **_sanm(width, 2 if size == "tiny" else 8, 2 * width if size == "tiny" else 1024),
            "num_blocks": 2 if size == "tiny" else 4,
            "input_size": width,
            "padding_idx": 0,
        },
        "tokenizer": "CharTokenizer",
        "tokenizer_conf": {"unk_symbol": "<unk>"},
    }
    _seed(2)
    model = _build(config, tokens, None)
    return _save(model, config, tokens, out)


def sensevoice(out: Path, shared: Path = SHARED_FUNASR) -> Path:
    """A small random SenseVoiceSmall (SenseVoiceEncoderSmall + CTC). Its real BPE model
    cannot be had here, so a 3000-piece SentencePiece model is trained on the AISHELL-1 test
    transcripts (``../shared/testdata/speech/zh_aishell1``)."""
    import sentencepiece

    out.mkdir(parents=True, exist_ok=True)
    transcripts = shared.parent / "speech" / "zh_aishell1" / "aishell1_test_transcripts_7176.jsonl"
    lines = [json.loads(line)["text"] for line in transcripts.read_text("utf-8").splitlines()]
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(out / "bpe"),
        vocab_size=3000,
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
    )
    config = {
        "model": "SenseVoiceSmall",
        "model_conf": {"length_normalized_loss": True, "sos": 1, "eos": 2, "ignore_id": -1},
        "encoder": "SenseVoiceEncoderSmall",
        "encoder_conf": {**_sanm(64, 2, 128), "num_blocks": 2, "tp_blocks": 1},
        "tokenizer": "SentencepiecesTokenizer",
        "tokenizer_conf": {"unk_symbol": "<unk>", "split_with_space": True},
        "frontend": "WavFrontend",
        "frontend_conf": dict(FRONTEND),
        "input_size": 560,
    }
    _seed(4)
    build_config = {**config, "tokenizer_conf": {**config["tokenizer_conf"]}}
    build_config["tokenizer_conf"]["bpemodel"] = str(out / "bpe.model")
    model = _build(build_config, None, shared / "paraformer_online_am.mvn")
    out = _save(model, config, None, out)
    shutil.copyfile(shared / "paraformer_online_am.mvn", out / "am.mvn")
    (out / "bpe.vocab").unlink(missing_ok=True)
    return out


def build_all(out: Path, size: str = "tiny", shared: Path = SHARED_FUNASR) -> dict[str, Path]:
    return {
        "streaming": paraformer(out / "streaming", True, size, shared),
        "offline": paraformer(out / "offline", False, size, shared, seed=3),
        "vad": fsmn_vad(out / "vad", shared=shared),
        "punc": ct_punc(out / "punc", size, shared),
        "sensevoice": sensevoice(out / "sensevoice", shared),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", choices=["tiny", "full"], default="full")
    parser.add_argument("--shared", type=Path, default=SHARED_FUNASR)
    args = parser.parse_args()
    for name, path in build_all(args.out, args.size, args.shared).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
