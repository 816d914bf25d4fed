"""Small builders for Grafana classic-model dashboards that follow our conventions:
a `datasource` variable used by every panel, `job`/`instance` multi-select variables,
a unit and a description on every panel, stable uids, editable false."""

import json

SEL = 'job=~"$job",instance=~"$instance"'


def sel(extra=""):
    """Label matchers every query carries, plus optional extra ones."""
    return "{" + SEL + ("," + extra if extra else "") + "}"


def target(expr, legend, ref):
    return {"datasource": {"type": "prometheus", "uid": "${datasource}"}, "expr": expr,
            "legendFormat": legend, "refId": ref, "range": True}


class Layout:
    """Places panels left to right on a 24-column grid."""

    def __init__(self):
        self.x = 0
        self.y = 0
        self.row_h = 0
        self.next_id = 1
        self.panels = []

    def _place(self, w, h):
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def row(self, title):
        if self.x:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def panel(self, kind, title, description, unit, targets, w=8, h=8, stack=False, thresholds=None):
        refs = "ABCDEFGHIJ"
        field = {"unit": unit}
        if thresholds:
            field["thresholds"] = {"mode": "absolute", "steps": [
                {"color": "green", "value": None}, *[{"color": c, "value": v} for v, c in thresholds]]}
        if kind == "timeseries":
            field["custom"] = {"drawStyle": "line", "fillOpacity": 10 if not stack else 30,
                               "stacking": {"mode": "normal" if stack else "none", "group": "A"}}
        p = {"type": kind, "title": title, "description": description, "id": self._id(),
             "datasource": {"type": "prometheus", "uid": "${datasource}"},
             "gridPos": self._place(w, h),
             "fieldConfig": {"defaults": field, "overrides": []},
             "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                         "tooltip": {"mode": "multi", "sort": "desc"}} if kind == "timeseries" else
                        {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                         "colorMode": "background", "graphMode": "area", "textMode": "auto"},
             "targets": [target(e, l, refs[i]) for i, (e, l) in enumerate(targets)]}
        self.panels.append(p)


def variables(anchor_metric):
    def query_var(name, label, query):
        return {"name": name, "label": label, "type": "query", "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "query": {"query": query, "refId": f"{name}-var"}, "definition": query, "refresh": 2,
                "multi": True, "includeAll": True, "allValue": ".+", "sort": 1,
                "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "options": [], "hide": 0}

    return [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0, "refresh": 1, "options": [], "regex": ""},
        query_var("job", "Job", f"label_values({anchor_metric}, job)"),
        query_var("instance", "Instance", f'label_values({anchor_metric}{{job=~"$job"}}, instance)'),
    ]


def dashboard(uid, title, description, tags, layout, anchor_metric="mailpath_exporter_build_info", links=()):
    return {
        "id": None, "uid": uid, "title": title, "description": description, "tags": ["mailpath", *tags],
        "editable": False, "graphTooltip": 1, "schemaVersion": 36, "version": 1, "timezone": "",
        "time": {"from": "now-6h", "to": "now"}, "refresh": "1m",
        "templating": {"list": variables(anchor_metric)},
        "annotations": {"list": []},
        "links": [{"title": t, "type": "link", "url": f"/d/{u}?${{__url_time_range}}&${{__all_variables}}",
                   "targetBlank": False, "icon": "dashboard"} for t, u in links],
        "panels": layout.panels,
    }


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")
