// Live difference and totals while a budget line is typed; the server recomputes on save.
(function () {
  "use strict";
  var form = document.getElementById("budget-form");
  if (!form) { return; }
  var yen = function (n) { return n.toLocaleString("ja-JP") + "円"; };
  var num = function (name) {
    var input = form.querySelector("[name='" + name + "']");
    var n = input ? parseInt(input.value, 10) : NaN;
    return isNaN(n) ? 0 : n;
  };
  var out = function (id, text) { document.getElementById(id).textContent = text; };

  function update() {
    var settled = num("settled"), budgeted = num("budgeted");
    var direction = form.querySelector("[name='direction']").value;
    var income = parseInt(form.dataset.otherIncome, 10) + (direction === "income" ? settled : 0);
    var spent = parseInt(form.dataset.otherExpenditure, 10) + (direction === "expenditure" ? settled : 0);
    out("line-difference", yen(budgeted - settled));
    out("income-total", yen(income));
    out("expenditure-total", yen(spent));
    out("statement-difference", yen(income - spent));
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
