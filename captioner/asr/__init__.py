"""Recognition: engines behind one interface, VAD, agreement policy, model loading, worker."""
