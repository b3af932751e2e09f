"""The learned router model: its inputs (vectors.py), its artifact (artifact.py), training and calibration."""
