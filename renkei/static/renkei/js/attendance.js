// Live total and report phrase for the attendance grid. The page works without it:
// the server computes both after saving.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form) { return; }
  var flags = JSON.parse(document.getElementById("attendance-flags").textContent);
  var region = form.dataset.region || "";
  var totalOut = document.getElementById("attendance-total");
  var phraseOut = document.getElementById("attendance-phrase");
  var suffixes = [["city", "市"], ["special_ward", "区"], ["town", "町"], ["village", "村"]];

  function countOf(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function update() {
    var total = 0, members = [], others = [], union = false;
    form.querySelectorAll("input[name^='count_']").forEach(function (input) {
      var id = input.name.slice(6), n = countOf(input), flag = flags[id];
      if (!flag || n === 0) { return; }
      total += n;
      if (flag.union) { union = true; } else if (flag.member) { members.push(flag); } else { others.push(flag.label); }
    });
    var parts = [];
    if (members.length) {
      var counted = suffixes.map(function (s) {
        var k = members.filter(function (m) { return m.kind === s[0]; }).length;
        return k ? k + s[1] : "";
      }).join("");
      parts.push(region + counted);
    }
    var who = parts.concat(others).join("、");
    if (union) { who = who ? who + "職員及び本組合職員" : "本組合職員"; }
    totalOut.textContent = total.toLocaleString("ja-JP") + "名";
    phraseOut.textContent = total ? who + " " + total.toLocaleString("ja-JP") + "名" : "";
  }

  form.addEventListener("input", update);
  update();
})();
