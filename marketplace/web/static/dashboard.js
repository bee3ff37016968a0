// The coordinator dashboard's charts (ECharts, served locally).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const draw = (id, option) => echarts.init(document.getElementById(id)).setOption(option);
  const statuses = Object.keys(data.per_week);
  draw("weekly", {
    title: { text: data.names.weekly }, tooltip: {}, legend: { bottom: 0 },
    xAxis: { type: "category", data: data.weeks }, yAxis: { type: "value" },
    series: statuses.map((s, i) => ({ name: s, type: "bar", stack: "all", data: data.per_week[s],
      itemStyle: { decal: { symbol: ["rect", "circle", "triangle", "diamond"][i % 4] } } })),
    aria: { enabled: true, decal: { show: true } },
  });
  draw("days", { title: { text: data.names.days }, xAxis: { type: "category", data: data.weeks },
    yAxis: { type: "value" }, series: [{ type: "line", data: data.days, label: { show: true } }] });
  draw("ratings", { title: { text: data.names.ratings }, xAxis: { type: "category", data: ["1", "2", "3", "4", "5"] },
    yAxis: { type: "value" }, series: [{ type: "bar", data: data.ratings, label: { show: true } }] });
  draw("levels", { title: { text: data.names.levels }, xAxis: { type: "category", data: Object.keys(data.levels) },
    yAxis: { type: "value" }, series: [{ type: "bar", data: Object.values(data.levels), label: { show: true } }] });
})();
