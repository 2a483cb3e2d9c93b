"""Text as Captioner shows and scores it: Chinese script conversion and normalisation (pure)."""
