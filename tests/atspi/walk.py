#!/usr/bin/python3
"""Reads Outage Radar's window as a screen reader does, over AT-SPI (for tests/tests/atspi.rs).

walk.py walk            prints the window document's showing nodes as JSON lines
walk.py press ROLE NAME performs the first action (a click) of the node with that role and name
walk.py node ID         prints the node whose element has that id, shown or not, as JSON
"""
import json
import sys

import pyatspi

WINDOW_TITLE = "Outage Radar"


def document():
    """The window's web document: the frame titled like the app, then its document."""
    for app in pyatspi.Registry.getDesktop(0):
        if app is None:
            continue
        for i in range(app.childCount):
            frame = app.getChildAtIndex(i)
            if frame is None or frame.getRoleName() != "frame" or frame.name != WINDOW_TITLE:
                continue
            found = pyatspi.findDescendant(frame, lambda o: o.getRoleName() == "document web")
            if found is not None:
                return found
    return None


def text_of(o):
    try:
        t = o.queryText()
        return t.getText(0, min(t.characterCount, 300))
    except NotImplementedError:
        return ""


def node(o, depth):
    states = o.getState()
    attrs = {}
    for a in o.getAttributes() or []:
        key, _, value = a.partition(":")
        attrs[key] = value
    return {
        "depth": depth,
        "role": o.getRoleName(),
        "name": o.name or "",
        "text": text_of(o),
        "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
        "focused": states.contains(pyatspi.STATE_FOCUSED),
        "selected": states.contains(pyatspi.STATE_SELECTED),
        "attributes": attrs,
    }


def walk(o, depth, out, hidden=False):
    if o is None:
        return
    try:
        if not hidden and not o.getState().contains(pyatspi.STATE_SHOWING) and depth > 0:
            return
        out.append(node(o, depth))
        for i in range(o.childCount):
            walk(o.getChildAtIndex(i), depth + 1, out, hidden)
    except Exception:  # a node gone while walking (the page re-rendered): skip it
        return


def main():
    doc = document()
    if doc is None:
        print("no window document", file=sys.stderr)
        return 2
    if sys.argv[1] == "walk":
        out = []
        walk(doc, 0, out)
        for n in out:
            print(json.dumps(n))
        return 0
    if sys.argv[1] == "node":
        out = []
        walk(doc, 0, out, hidden=True)
        for n in out:
            if n["attributes"].get("id") == sys.argv[2]:
                print(json.dumps(n))
                return 0
        return 3
    if sys.argv[1] == "press":
        role, name = sys.argv[2], sys.argv[3]
        target = pyatspi.findDescendant(doc, lambda o: o.getRoleName() == role and o.name == name)
        if target is None:
            print(f"no {role} named {name!r}", file=sys.stderr)
            return 3
        target.queryAction().doAction(0)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
