"""Pasted source files for the code family: real-looking modules with real flaws (SQL built by string
formatting, unlocked shared state, check-then-act races), so review and debugging requests have something to find."""

SNIPPETS = [
    """import sqlite3
from datetime import datetime, timedelta

DB_PATH = "/var/lib/billing/invoices.db"


def get_connection():
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


def overdue_invoices(days=30):
    cutoff = datetime.utcnow() - timedelta(days=days)
    conn = get_connection()
    rows = conn.execute(
        "SELECT id, customer, amount, due_date FROM invoices WHERE paid = 0 AND due_date < '%s'" % cutoff.isoformat()
    ).fetchall()
    return [dict(r) for r in rows]


def mark_paid(invoice_id, paid_at=None):
    conn = get_connection()
    conn.execute("UPDATE invoices SET paid = 1, paid_at = ? WHERE id = ?", (paid_at or datetime.utcnow(), invoice_id))
    conn.commit()


def send_reminders(mailer):
    for inv in overdue_invoices():
        body = f"Dear {inv['customer']}, invoice {inv['id']} for {inv['amount']} is overdue."
        mailer.send(inv["customer"], "Payment reminder", body)
""",
    """const express = require("express");
const axios = require("axios");
const app = express();
app.use(express.json());

let cache = {};

app.get("/api/rates/:currency", async (req, res) => {
  const cur = req.params.currency.toUpperCase();
  if (cache[cur] && Date.now() - cache[cur].ts < 60000) {
    return res.json(cache[cur].data);
  }
  try {
    const r = await axios.get(`https://rates.example.com/v1/latest?base=${cur}`);
    cache[cur] = { ts: Date.now(), data: r.data };
    res.json(r.data);
  } catch (e) {
    console.log(e);
    res.status(500).send(e.message);
  }
});

app.post("/api/convert", (req, res) => {
  const { from, to, amount } = req.body;
  const rate = cache[from] ? cache[from].data.rates[to] : null;
  if (!rate) return res.status(404).json({ error: "rate not cached" });
  res.json({ amount: amount * rate });
});

app.listen(process.env.PORT || 3000);
""",
    """public class InventoryService {
    private final Map<String, Integer> stock = new HashMap<>();
    private final OrderRepository orders;

    public InventoryService(OrderRepository orders) {
        this.orders = orders;
    }

    public boolean reserve(String sku, int qty) {
        Integer available = stock.get(sku);
        if (available == null || available < qty) {
            return false;
        }
        stock.put(sku, available - qty);
        orders.logReservation(sku, qty);
        return true;
    }

    public void restock(String sku, int qty) {
        stock.merge(sku, qty, Integer::sum);
    }

    public int available(String sku) {
        return stock.getOrDefault(sku, 0);
    }
}
""",
    """package main

import (
\t"encoding/json"
\t"net/http"
\t"sync"
)

type Counter struct {
\tmu     sync.Mutex
\tcounts map[string]int
}

func (c *Counter) Inc(key string) {
\tc.mu.Lock()
\tc.counts[key]++
\tc.mu.Unlock()
}

func (c *Counter) Snapshot() map[string]int {
\treturn c.counts
}

func main() {
\tc := &Counter{counts: map[string]int{}}
\thttp.HandleFunc("/hit", func(w http.ResponseWriter, r *http.Request) {
\t\tc.Inc(r.URL.Query().Get("page"))
\t\tw.WriteHeader(http.StatusNoContent)
\t})
\thttp.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
\t\tjson.NewEncoder(w).Encode(c.Snapshot())
\t})
\thttp.ListenAndServe(":8080", nil)
}
""",
    """SELECT c.region,
       DATE_TRUNC('month', o.created_at) AS month,
       COUNT(DISTINCT o.customer_id)     AS buyers,
       SUM(oi.quantity * oi.unit_price)  AS revenue
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
LEFT JOIN customers c ON c.id = o.customer_id
WHERE o.status <> 'cancelled'
  AND o.created_at >= '2025-01-01'
GROUP BY c.region, DATE_TRUNC('month', o.created_at)
HAVING SUM(oi.quantity * oi.unit_price) > 10000
ORDER BY month, revenue DESC;
""",
    """def apply_discount(cart, code, today):
    rules = load_rules()
    rule = rules.get(code)
    if rule is None:
        raise ValueError("unknown code")
    if rule["expires"] < today:
        raise ValueError("expired")
    total = sum(item["price"] * item["qty"] for item in cart["items"])
    if rule["type"] == "percent":
        discount = total * rule["value"] / 100
    elif rule["type"] == "fixed":
        discount = rule["value"]
    else:
        discount = 0
    if total - discount < 0:
        discount = total
    cart["discount"] = round(discount, 2)
    cart["total"] = round(total - discount, 2)
    return cart
""",
]

# Python files with plain functions: the ones "list the functions" and "add type hints" make sense for.
PYTHON = [
    SNIPPETS[0],
    SNIPPETS[5],
    """import csv
import logging

log = logging.getLogger(__name__)


def read_price_list(path, currency="EUR"):
    prices = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            try:
                prices[row["sku"].strip()] = float(row["price"].replace(",", "."))
            except (KeyError, ValueError):
                log.warning("skipping row %s", row)
    return {"currency": currency, "prices": prices}


def price_changes(old, new, threshold=0.05):
    changes = []
    for sku, price in new["prices"].items():
        before = old["prices"].get(sku)
        if before and abs(price - before) / before > threshold:
            changes.append((sku, before, price, round((price - before) / before * 100, 1)))
    return sorted(changes, key=lambda c: -abs(c[3]))


def missing_skus(old, new):
    return sorted(set(old["prices"]) - set(new["prices"]))


def write_report(changes, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["sku", "old", "new", "change_pct"])
        writer.writerows(changes)
""",
]

CONCURRENT = [
    """def charge_order(order_id):
    order = db.query("SELECT * FROM orders WHERE id = %s", order_id)
    if order["status"] == "paid":
        return order
    result = payments.charge(order["customer_token"], order["amount_cents"])
    db.execute("UPDATE orders SET status = 'paid', charge_id = %s WHERE id = %s", result.id, order_id)
    return db.query("SELECT * FROM orders WHERE id = %s", order_id)

# called from the webhook worker pool (8 processes) and from the retry cron every minute
""",
    """class SeatBooking:
    def __init__(self, redis):
        self.redis = redis

    def book(self, event_id, seat, user_id):
        key = f"seat:{event_id}:{seat}"
        if self.redis.get(key):
            return False
        self.redis.set(key, user_id)
        self.redis.incr(f"sold:{event_id}")
        return True

    def release(self, event_id, seat):
        self.redis.delete(f"seat:{event_id}:{seat}")
        self.redis.decr(f"sold:{event_id}")
""",
    """async function withdraw(accountId, amount) {
  const acct = await db.accounts.findOne({ id: accountId });
  if (acct.balance < amount) throw new Error("insufficient funds");
  await ledger.append({ accountId, amount: -amount, at: new Date() });
  await db.accounts.updateOne({ id: accountId }, { $set: { balance: acct.balance - amount } });
  return acct.balance - amount;
}
// mobile app retries on timeout; 3 API pods behind the load balancer
""",
]
