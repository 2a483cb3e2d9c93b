"""The desktop app's windows: caption overlay, tray menu, settings and download dialogs."""
