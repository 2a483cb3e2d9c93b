"""Recognition: audio in, partial and confirmed text out; no Qt.

The core is engine-neutral: the :class:`~captioner.asr.recognizer.Recognizer` interface and
what it produces (``types``), the user's choices (``config``) and ``factory``, a live
``session`` (source -> recogniser, lag, load control), the Silero ``vad`` and model
``downloads``. Each engine is a sub-package: ``whisper`` (faster-whisper) and ``funasr``
(Paraformer); they do not import each other.
"""
