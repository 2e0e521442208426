"""The Qt-free core: project model, readers, science and reports. Never import Qt below here."""
