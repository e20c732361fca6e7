"""Reading a served page's form back as a browser would post it."""

from html.parser import HTMLParser


class FormValues(HTMLParser):
    """The values a browser would post from the page's main form (inputs, checked boxes,
    selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") not in ("checkbox", "radio"):
                self.values.append((name, a.get("value", "")))
            elif "checked" in a:
                self.values.append((name, a.get("value", "on")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values.pop()
            self.values.append((name, value + data))
