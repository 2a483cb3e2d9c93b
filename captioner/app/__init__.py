"""The desktop app, assembled: ``desktop`` is the composition root that wires the controller,
windows, hotkey, tray and live feed; ``provisioning`` gets the models the settings need,
``overlay_placement`` keeps the caption bar where the user put it on each screen,
``live_feed`` runs the transcript server as the settings say, and ``event_loop`` runs Qt and
asyncio as one loop (qasync), for the app and for headless captioning alike."""
