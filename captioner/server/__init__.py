"""The live transcript for other programs: a WebSocket feed and an OBS overlay page.

``protocol`` (pure message logic), ``config`` and ``security`` (pure), ``server`` (asyncio,
the ``websockets`` library) and ``bridge`` (Qt: a recognition worker feeding a server).
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
