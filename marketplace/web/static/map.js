// The street map (Leaflet, served locally) under a page's map places, when tiles are configured.
// The server numbers the places; at the zoom a phone shows, places closer than a pin are gathered
// under one pin ("3+": place 3 and others; a tap zooms in), so pins and numbers never overlap.
(function () {
  "use strict";
  var box = document.getElementById("street-map");
  var source = document.getElementById("map-data");
  if (!box || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var GAP = 30; // px between pin centres: pins are 26 px wide
  box.textContent = "";
  box.classList.add("street-map-on");
  var map = L.map(box, { scrollWheelZoom: false, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  data.tiles.forEach(function (url) {
    L.tileLayer(url, { subdomains: data.subdomains, attribution: data.attribution, maxZoom: 18 }).addTo(map);
  });
  var at = data.places.map(function (p) { return L.latLng(p.lat, p.lng); });
  (data.compounds || []).forEach(function (c) {
    L.circleMarker(c, { radius: 16, color: "#777", weight: 1, dashArray: "4 3", fill: false, interactive: false }).addTo(map);
  });
  var layer = L.layerGroup().addTo(map);

  function groups() {
    // leader gathering in screen pixels at this zoom: a place joins the first group near it
    var found = [];
    data.places.forEach(function (p, i) {
      var xy = map.latLngToLayerPoint(at[i]);
      var near = null;
      for (var g = 0; g < found.length && !near; g++) if (found[g].xy.distanceTo(xy) < GAP) near = found[g];
      if (!near) { near = { xy: xy, members: [] }; found.push(near); }
      near.members.push(i);
    });
    return found;
  }

  function pin(group) {
    var kinds = group.members.map(function (i) { return data.places[i].kind; });
    var kind = ["home", "priority", "task", "volunteer"].filter(function (k) { return kinds.indexOf(k) >= 0; })[0];
    var unserved = group.members.some(function (i) { return data.places[i].unserved; });
    var label = document.createElement("span");
    label.className = "map-label";
    var labels = group.members.map(function (i) { return data.places[i].label; }).filter(Boolean);
    // the first place's number, "+" when other numbered places stand under the same pin
    label.textContent = labels.length > 1 ? labels[0].replace(/\+$/, "") + "+" : labels[0] || "";
    var icon = L.divIcon({
      className: "pin pin-" + kind + (unserved ? " pin-unserved" : "") + " map-pin",
      html: label, iconSize: [26, 26],
    });
    var marker = L.marker(at[group.members[0]], { icon: icon, keyboard: group.members.length > 1 });
    if (group.members.length > 1) {
      marker.on("click", function () {
        map.fitBounds(L.latLngBounds(group.members.map(function (i) { return at[i]; })), { padding: [40, 40] });
      });
    }
    return marker;
  }

  function draw() {
    layer.clearLayers();
    var found = groups();
    var of = {};
    found.forEach(function (g, n) { g.members.forEach(function (i) { of[i] = n; }); });
    data.lines.forEach(function (l) {
      var a = of[l[0]], b = of[l[1]];
      if (a !== b) {
        var from = at[found[a].members[0]], to = at[found[b].members[0]];
        L.polyline([from, to], { color: "#2e7d32", weight: 2, interactive: false }).addTo(layer);
      }
    });
    found.forEach(function (g) { pin(g).addTo(layer); });
  }

  var bounds = L.latLngBounds(at.concat((data.compounds || []).map(function (c) { return L.latLng(c); })));
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  else map.setView([36.06, 120.37], 14);
  map.on("zoomend", draw);
  draw();
})();
