// The home picker: buildings follow the chosen compound, and "使用我的位置" fills the hidden
// point from the browser's location (the only way coordinates reach the form).
(function () {
  "use strict";
  function filterBuildings(compound, buildings) {
    var chosen = compound.value;
    Array.prototype.forEach.call(buildings.options, function (option) {
      var of = option.getAttribute("data-compound");
      option.hidden = Boolean(of && chosen && of !== chosen);
    });
    var selected = buildings.options[buildings.selectedIndex];
    if (selected && selected.hidden) buildings.value = "";
  }
  document.querySelectorAll("select[data-buildings-for]").forEach(function (compound) {
    var buildings = document.getElementById(compound.getAttribute("data-buildings-for"));
    if (!buildings) return;
    compound.addEventListener("change", function () { filterBuildings(compound, buildings); });
    filterBuildings(compound, buildings);
  });
  var button = document.getElementById("use-my-location");
  if (!button) return;
  var status = document.getElementById("location-status");
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = button.dataset.failed; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("home-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("home-lng").value = pos.coords.longitude.toFixed(6);
      document.querySelectorAll("select[data-buildings-for]").forEach(function (s) { s.value = ""; });
      var b = document.getElementById("building_id");
      if (b) b.value = "";
      status.textContent = button.dataset.done;
    }, function () { status.textContent = button.dataset.failed; }, { timeout: 10000 });
  });
})();
