"""The live transcript for other programs: a WebSocket feed and an OBS overlay page.

Pure logic: ``protocol`` (the messages), ``feed`` (which to send about the transcript),
``config``, ``security`` (Origin, Host, token rules), ``access`` (who may connect and
control: one decision per request or control message), ``limits`` and ``outbox``. Around
them, with asyncio and the ``websockets`` library: ``delivery`` (each client's queue; slow
clients dropped), ``connections`` (connections still in their handshake, file descriptors),
``pages`` (the HTTP answers) and ``server`` (start, stop, and the wiring). ``bridge`` is Qt:
a recognition worker feeding a server.
"""

from captioner.server.config import ServerConfig, ServerConfigError, parse_serve_address
from captioner.server.protocol import PROTOCOL_VERSION, PipelineState
from captioner.server.server import TranscriptController, TranscriptServer

__all__ = [
    "PROTOCOL_VERSION",
    "PipelineState",
    "ServerConfig",
    "ServerConfigError",
    "TranscriptController",
    "TranscriptServer",
    "parse_serve_address",
]
