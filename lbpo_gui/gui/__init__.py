"""The Qt desktop application: main window, sample tree, undo commands, workers and tabs.

Everything here only displays the project and edits it through the project's API
(:mod:`lbpo_gui.core.project`); no science is computed in the GUI.
"""
