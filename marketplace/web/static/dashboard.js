// The coordinator dashboard's charts (ECharts, served locally).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  // No animation (a cheap phone draws once) and text large enough to read.
  const base = { animation: false, textStyle: { fontSize: 14 } };
  const draw = (id, option) => {
    option.title = { ...option.title, textStyle: { fontSize: 18 } };
    echarts.init(document.getElementById(id)).setOption({ ...base, ...option });
  };
  const statuses = Object.keys(data.per_week);
  draw("weekly", {
    title: { text: data.names.weekly }, tooltip: {}, legend: { bottom: 0 },
    xAxis: { type: "category", data: data.weeks }, yAxis: { type: "value" },
    series: statuses.map((s, i) => ({ name: data.labels[s] || s, type: "bar", stack: "all", data: data.per_week[s],
      itemStyle: { decal: { symbol: ["rect", "circle", "triangle", "diamond"][i % 4] } } })),
    aria: { enabled: true, decal: { show: true } },
  });
  draw("days", { title: { text: data.names.days }, xAxis: { type: "category", data: data.weeks },
    yAxis: { type: "value" }, series: [{ type: "line", data: data.days, label: { show: true } }] });
  draw("ratings", { title: { text: data.names.ratings }, xAxis: { type: "category", data: ["1", "2", "3", "4", "5"] },
    yAxis: { type: "value" }, series: [{ type: "bar", data: data.ratings, label: { show: true } }] });
  draw("levels", { title: { text: data.names.levels }, xAxis: { type: "category", data: Object.keys(data.levels).map((k) => data.labels[k] || k) },
    yAxis: { type: "value" }, series: [{ type: "bar", data: Object.values(data.levels), label: { show: true } }] });
})();
