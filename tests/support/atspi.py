"""Reading a running app's accessible objects over AT-SPI, as a screen reader does.

The desktop (tests/support/xdesktop.py) runs a session D-Bus and the AT-SPI bus launcher; Qt
apps started with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 register their accessible objects
there. jeepney (pure Python D-Bus) asks the registry for the applications and walks their
trees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jeepney import DBusAddress, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

_REGISTRY = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")


@dataclass(frozen=True)
class Accessible:
    name: str
    description: str


class AtSpi:
    def __init__(self, session_bus: str) -> None:
        session = open_dbus_connection(bus=session_bus)
        try:
            launcher = DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus")
            address = session.send_and_get_reply(new_method_call(launcher, "GetAddress")).body[0]
        finally:
            session.close()
        self._bus: DBusConnection = open_dbus_connection(bus=address)

    def close(self) -> None:
        self._bus.close()

    def objects(self, application: str, depth: int = 6) -> Iterator[Accessible]:
        """Every accessible object of the applications named ``application``, down to
        ``depth`` levels below the application."""
        for bus_name, path in self._children(*_REGISTRY):
            if self._text(bus_name, path, "Name") == application:
                yield from self._walk(bus_name, path, depth)

    def _walk(self, bus_name: str, path: str, depth: int) -> Iterator[Accessible]:
        yield Accessible(
            self._text(bus_name, path, "Name"), self._text(bus_name, path, "Description")
        )
        if depth > 0:
            for child in self._children(bus_name, path):
                yield from self._walk(*child, depth=depth - 1)

    def _address(self, bus_name: str, path: str) -> DBusAddress:
        return DBusAddress(path, bus_name=bus_name, interface="org.a11y.atspi.Accessible")

    def _children(self, bus_name: str, path: str) -> list[tuple[str, str]]:
        call = new_method_call(self._address(bus_name, path), "GetChildren")
        return list(self._bus.send_and_get_reply(call, timeout=5).body[0])

    def _text(self, bus_name: str, path: str, prop: str) -> str:
        reply = self._bus.send_and_get_reply(
            Properties(self._address(bus_name, path)).get(prop), timeout=5
        )
        return str(reply.body[0][1])
