"""Modal dialogs: each a ModalScreen that asks one thing and dismisses with the answer.

One dialog per module, imported where it is pushed (nothing is re-exported here: importing this
package must not load every dialog, and with it their widgets, at start-up). The shared dialog
look (`.dialog`, `.buttons` …) is in app.tcss; a dialog's own styles sit next to it.
"""
