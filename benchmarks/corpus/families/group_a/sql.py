# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""sql: read a column, a key or a keyword off pasted DDL (simple); explain what a query returns, or write one
SELECT to a clear spec (medium); design schemas with indexes and migrations, debug slow queries from a
plan, reconcile ledgers in SQL (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family

_DDL = (
    "CREATE TABLE customers (\n  customer_id BIGINT PRIMARY KEY,\n  name TEXT NOT NULL,\n  country CHAR(2) NOT NULL,\n  segment TEXT CHECK (segment IN ('smb','mid','enterprise')),\n  created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);",
    "CREATE TABLE orders (\n  order_id BIGINT PRIMARY KEY,\n  customer_id BIGINT NOT NULL REFERENCES customers(customer_id),\n  status TEXT NOT NULL,          -- 'open','paid','refunded','cancelled'\n  total_amount NUMERIC(12,2) NOT NULL,\n  currency CHAR(3) NOT NULL,\n  ordered_at TIMESTAMPTZ NOT NULL\n);",
    "CREATE TABLE order_items (\n  order_id BIGINT REFERENCES orders(order_id),\n  line_no INT,\n  sku TEXT NOT NULL,\n  quantity INT NOT NULL CHECK (quantity > 0),\n  unit_price NUMERIC(10,2) NOT NULL,\n  PRIMARY KEY (order_id, line_no)\n);",
    "CREATE TABLE invoices (\n  invoice_no TEXT PRIMARY KEY,\n  order_id BIGINT REFERENCES orders(order_id),\n  issued_on DATE NOT NULL,\n  due_on DATE NOT NULL,\n  paid_on DATE\n);",
)
_QUERIES = (
    "SELECT c.country, COUNT(*) AS orders, SUM(o.total_amount) AS revenue\nFROM orders o JOIN customers c USING (customer_id)\nWHERE o.status = 'paid' AND o.ordered_at >= DATE '{year}-01-01'\nGROUP BY c.country\nHAVING SUM(o.total_amount) > 10000\nORDER BY revenue DESC;",
    "SELECT i.invoice_no, c.name, i.due_on, CURRENT_DATE - i.due_on AS days_overdue\nFROM invoices i\nJOIN orders o ON o.order_id = i.order_id\nJOIN customers c ON c.customer_id = o.customer_id\nWHERE i.paid_on IS NULL AND i.due_on < CURRENT_DATE\nORDER BY days_overdue DESC\nLIMIT 20;",
    "SELECT customer_id, order_id, total_amount,\n       RANK() OVER (PARTITION BY customer_id ORDER BY total_amount DESC) AS rnk\nFROM orders\nWHERE status <> 'cancelled';",
    "SELECT sku, SUM(quantity) AS units\nFROM order_items oi\nLEFT JOIN orders o ON o.order_id = oi.order_id AND o.status = 'refunded'\nWHERE o.order_id IS NULL\nGROUP BY sku\nORDER BY units DESC\nLIMIT 5;",
)
_PLAN = (
    "EXPLAIN ANALYZE output:\nSort  (cost=1843211.55..1843236.55 rows=10000) (actual time=41234.2..41236.9 rows=20 loops=1)\n"
    "  ->  Hash Join  (actual time=2210.4..40987.1 rows=1840221 loops=1)\n"
    "        Hash Cond: (o.customer_id = c.customer_id)\n"
    "        ->  Seq Scan on orders o  (actual time=0.03..35120.8 rows=79811204 loops=1)\n"
    "              Filter: ((status = 'paid') AND (ordered_at >= '{year}-01-01'))\n"
    "              Rows Removed by Filter: 3120445\n"
    "        ->  Hash  (actual time=2201.7..2201.7 rows=4200113 loops=1)\n"
    "              ->  Seq Scan on customers c\nPlanning Time: 0.9 ms\nExecution Time: 41240.3 ms"
)


def _ddl(rng: random.Random, lang: str, slots: Slots) -> str:
    return "\n\n".join(rng.sample(_DDL, rng.randint(2, 4)))


def _query(rng: random.Random, lang: str, slots: Slots) -> str:
    return rng.choice(_QUERIES).format(year=slots["year"])


def _schema_and_query(rng: random.Random, lang: str, slots: Slots) -> str:
    return "\n\n".join((*_DDL, _query(rng, lang, slots)))


def _slow_query(rng: random.Random, lang: str, slots: Slots) -> str:
    return "\n\n".join((_DDL[0], _DDL[1], _QUERIES[0].format(year=slots["year"]), _PLAN.format(year=slots["year"])))


TASKS = (
    Task(
        "ddl-lookup",
        "simple",
        {
            "en": (
                "List the column names of the orders table.",
                "Which column is the primary key of order_items?",
                "What type is total_amount?",
                "Which tables reference customers?",
            ),
            "de": (
                "Nenn die Spaltennamen der Tabelle orders.",
                "Was ist der Primärschlüssel von order_items?",
                "Welchen Datentyp hat total_amount?",
                "Welche Tabellen verweisen auf customers?",
            ),
            "fr": (
                "Liste les colonnes de la table orders.",
                "Quelle est la clé primaire de order_items ?",
                "De quel type est total_amount ?",
                "Quelles tables référencent customers ?",
            ),
            "es": (
                "Enumera las columnas de la tabla orders.",
                "¿Cuál es la clave primaria de order_items?",
                "¿De qué tipo es total_amount?",
                "¿Qué tablas referencian a customers?",
            ),
            "zh": (
                "列出orders表的所有字段名。",
                "order_items表的主键是什么？",
                "total_amount是什么类型？",
                "哪些表引用了customers？",
            ),
            "ja": (
                "ordersテーブルの列名を挙げてください。",
                "order_itemsの主キーは何ですか。",
                "total_amountの型は？",
                "customersを参照しているテーブルはどれですか。",
            ),
        },
        _ddl,
        rows=4,
    ),
    Task(
        "sql-fact",
        "simple",
        {
            "en": (
                "What SQL keyword removes duplicate rows from a result?",
                "uppercase the keywords: select id, name from users where active = 1 order by name",
                "Is `SELECT * FROM orders WHERE total_amount > 100 GROUP BY status` valid in Postgres? yes/no",
            ),
            "de": (
                "Mit welchem SQL-Schlüsselwort entfernt man doppelte Zeilen aus dem Ergebnis?",
                "Schlüsselwörter großschreiben: select id, name from users where active = 1 order by name",
                "Ist `SELECT * FROM orders WHERE total_amount > 100 GROUP BY status` in Postgres gültig? ja/nein",
            ),
            "fr": (
                "Quel mot-clé SQL supprime les doublons d'un résultat ?",
                "mets les mots-clés en majuscules : select id, name from users where active = 1 order by name",
                "`SELECT * FROM orders WHERE total_amount > 100 GROUP BY status` est-il valide sous Postgres ? oui/non",
            ),
            "es": (
                "¿Qué palabra clave de SQL elimina las filas duplicadas del resultado?",
                "pon en mayúsculas las palabras clave: select id, name from users where active = 1 order by name",
                "¿Es válida en Postgres `SELECT * FROM orders WHERE total_amount > 100 GROUP BY status`? sí/no",
            ),
            "zh": (
                "SQL里哪个关键字可以去掉结果中的重复行？",
                "把关键字改成大写：select id, name from users where active = 1 order by name",
                "`SELECT * FROM orders WHERE total_amount > 100 GROUP BY status` 在Postgres里合法吗？是/否",
            ),
            "ja": (
                "結果から重複行を取り除くSQLのキーワードは？",
                "キーワードを大文字にして：select id, name from users where active = 1 order by name",
                "`SELECT * FROM orders WHERE total_amount > 100 GROUP BY status` はPostgresで有効ですか。はい／いいえ",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "explain-query",
        "medium",
        {
            "en": (
                "What does this query return? Explain in a few sentences.",
                "Explain this query to a business analyst who doesn't read SQL.",
            ),
            "de": (
                "Was liefert diese Abfrage? Erklär es in ein paar Sätzen.",
                "Erklär die Abfrage einer Controllerin, die kein SQL liest.",
            ),
            "fr": (
                "Que renvoie cette requête ? Explique en quelques phrases.",
                "Explique cette requête à un contrôleur de gestion qui ne lit pas le SQL.",
            ),
            "es": (
                "¿Qué devuelve esta consulta? Explícalo en unas frases.",
                "Explícale esta consulta a una analista de negocio que no sabe SQL.",
            ),
            "zh": ("这个查询返回什么？用几句话解释。", "给不懂SQL的业务分析师解释一下这个查询。"),
            "ja": (
                "このクエリは何を返しますか。数文で説明してください。",
                "SQLを読めない業務担当者向けにこのクエリを説明してください。",
            ),
        },
        _query,
        rows=3,
    ),
    Task(
        "write-select",
        "medium",
        {
            "en": (
                "Write a query that returns total paid revenue per customer in {year}, top 10, using these tables.",
                "I need the list of invoices paid late in {year} with the number of days late. Postgres.",
            ),
            "de": (
                "Schreib eine Abfrage, die den bezahlten Umsatz pro Kunde in {year} liefert, Top 10, mit diesen Tabellen.",
                "Ich brauche alle Rechnungen, die {year} verspätet bezahlt wurden, mit Anzahl der Verzugstage. Postgres.",
            ),
            "fr": (
                "Écris une requête qui renvoie le CA payé par client en {year}, top 10, avec ces tables.",
                "Il me faut la liste des factures payées en retard en {year} avec le nombre de jours de retard. Postgres.",
            ),
            "es": (
                "Escribe una consulta que devuelva los ingresos cobrados por cliente en {year}, top 10, con estas tablas.",
                "Necesito las facturas pagadas con retraso en {year} y los días de retraso. Postgres.",
            ),
            "zh": (
                "用这些表写一个查询：{year}年每个客户的已付款收入，取前10名。",
                "我需要{year}年逾期付款的发票清单以及逾期天数，Postgres。",
            ),
            "ja": (
                "これらのテーブルを使って、{year}年の顧客別入金済み売上の上位10件を返すクエリを書いてください。",
                "{year}年に支払いが遅れた請求書と遅延日数の一覧がほしいです。Postgresで。",
            ),
        },
        _ddl,
        rows=3,
    ),
    Task(
        "schema-design",
        "complex",
        {
            "en": (
                "Design the schema and queries for a multi-tenant invoicing system (credit notes, partial payments, multi-currency), with indexes, row-level security, and a migration from our current single-table design without downtime.",
                "Design a Postgres data model for subscription billing with plan changes mid-cycle, proration and usage-based add-ons; write the key queries (MRR, churn by cohort) and justify every index.",
            ),
            "de": (
                "Entwirf Schema und Abfragen für ein mandantenfähiges Rechnungssystem (Gutschriften, Teilzahlungen, mehrere Währungen) mit Indizes, Row-Level-Security und einer Migration von unserem aktuellen Ein-Tabellen-Design ohne Ausfallzeit.",
                "Entwirf ein Postgres-Datenmodell für Abo-Abrechnung mit Tarifwechseln mitten im Zeitraum, anteiliger Berechnung und nutzungsbasierten Zusatzpaketen; schreib die wichtigsten Abfragen (MRR, Churn nach Kohorte) und begründe jeden Index.",
            ),
            "fr": (
                "Conçois le schéma et les requêtes d'un système de facturation multi-locataire (avoirs, paiements partiels, multidevise), avec index, sécurité au niveau des lignes et migration sans interruption depuis notre table unique actuelle.",
                "Conçois un modèle Postgres pour la facturation d'abonnements avec changements d'offre en cours de période, prorata et options à l'usage ; écris les requêtes clés (MRR, churn par cohorte) et justifie chaque index.",
            ),
            "es": (
                "Diseña el esquema y las consultas de un sistema de facturación multiinquilino (abonos, pagos parciales, multidivisa), con índices, seguridad a nivel de fila y una migración sin cortes desde nuestro diseño actual de una sola tabla.",
                "Diseña un modelo Postgres para facturación de suscripciones con cambios de plan a mitad de ciclo, prorrateo y complementos por uso; escribe las consultas clave (MRR, bajas por cohorte) y justifica cada índice.",
            ),
            "zh": (
                "为一个多租户开票系统设计表结构和查询（红字发票、部分付款、多币种），包括索引、行级安全策略，以及从现有单表设计零停机迁移的方案。",
                "为订阅计费设计Postgres数据模型，支持周期中途变更套餐、按比例计费和按量计费的附加项；写出关键查询（MRR、按批次的流失率），并说明每个索引的理由。",
            ),
            "ja": (
                "マルチテナントの請求システム（赤伝、分割入金、多通貨対応）のスキーマとクエリを設計してください。インデックス、行レベルセキュリティ、現行の単一テーブル設計から無停止で移行する手順を含めて。",
                "期間途中のプラン変更、日割り計算、従量課金オプションに対応するサブスクリプション課金のPostgresデータモデルを設計し、主要なクエリ（MRR、コホート別解約率）を書き、各インデックスの根拠を示してください。",
            ),
        },
        None,
        rows=4,
    ),
    Task(
        "slow-query-debug",
        "complex",
        {
            "en": (
                "This query takes 40 seconds on 80M orders. Diagnose the problem from the plan, propose indexes or rewrites, estimate the effect of each, and describe a safe rollout on a live Postgres 15 primary with replicas.",
                "Our nightly report times out since the orders table passed 80M rows. Using the schema, query and plan below, find the bottlenecks, rewrite the query, and tell me whether partitioning or a materialised view is the better long-term fix, and why.",
            ),
            "de": (
                "Diese Abfrage braucht bei 80 Mio. Bestellungen 40 Sekunden. Diagnostiziere das Problem anhand des Plans, schlag Indizes oder Umformulierungen vor, schätze jeweils den Effekt und beschreibe ein sicheres Ausrollen auf einem produktiven Postgres-15-Primary mit Replikaten.",
                "Unser nächtlicher Bericht läuft in ein Timeout, seit orders über 80 Mio. Zeilen hat. Finde anhand von Schema, Abfrage und Plan die Engpässe, schreib die Abfrage um und sag mir, ob Partitionierung oder eine materialisierte Sicht langfristig besser ist, und warum.",
            ),
            "fr": (
                "Cette requête prend 40 secondes sur 80 millions de commandes. Diagnostique le problème à partir du plan, propose des index ou une réécriture, estime l'effet de chacun et décris un déploiement sûr sur un Postgres 15 primaire en production avec réplicas.",
                "Notre rapport nocturne part en timeout depuis que orders dépasse 80 millions de lignes. Avec le schéma, la requête et le plan ci-dessous, trouve les goulots, réécris la requête et dis-moi si le partitionnement ou une vue matérialisée est la meilleure solution à long terme, et pourquoi.",
            ),
            "es": (
                "Esta consulta tarda 40 segundos con 80 millones de pedidos. Diagnostica el problema a partir del plan, propón índices o reescrituras, estima el efecto de cada uno y describe un despliegue seguro en un Postgres 15 primario en producción con réplicas.",
                "El informe nocturno da timeout desde que orders superó los 80 millones de filas. Con el esquema, la consulta y el plan, encuentra los cuellos de botella, reescribe la consulta y dime si a largo plazo conviene particionar o una vista materializada, y por qué.",
            ),
            "zh": (
                "这个查询在8000万条订单上要跑40秒。请根据执行计划诊断问题，提出索引或改写方案并估计各自效果，再说明如何在带从库的线上Postgres 15主库上安全上线。",
                "orders表超过8000万行后，我们的夜间报表就开始超时。请根据下面的表结构、查询和执行计划找出瓶颈、改写查询，并说明长期来看分区表和物化视图哪个更合适、为什么。",
            ),
            "ja": (
                "このクエリは8,000万件の注文に対して40秒かかります。実行計画から原因を診断し、インデックスやクエリの書き換え案とそれぞれの効果見込みを示し、レプリカ付きの本番Postgres 15プライマリへ安全に適用する手順を説明してください。",
                "ordersが8,000万行を超えてから夜間レポートがタイムアウトします。以下のスキーマ・クエリ・実行計画からボトルネックを特定してクエリを書き直し、長期的にはパーティショニングとマテリアライズドビューのどちらが良いか理由とともに教えてください。",
            ),
        },
        _slow_query,
        rows=4,
    ),
    Task(
        "ledger-reconciliation",
        "complex",
        {
            "en": (
                "Using these tables, write the SQL to reconcile orders against invoices for {year}: find unbilled orders, invoices without orders, amount mismatches and refunds still invoiced. Handle multiple currencies, explain each step, and say which findings finance should review first.",
                "Audit wants proof that every paid order has exactly one invoice. Write the queries, explain the edge cases (partial refunds, cancelled then reopened orders, duplicate invoice numbers), and propose constraints so this can't break again.",
            ),
            "de": (
                "Schreib mit diesen Tabellen das SQL, um Bestellungen und Rechnungen für {year} abzustimmen: nicht fakturierte Bestellungen, Rechnungen ohne Bestellung, Betragsabweichungen und erstattete, aber fakturierte Bestellungen. Berücksichtige mehrere Währungen, erkläre jeden Schritt und sag, was die Buchhaltung zuerst prüfen sollte.",
                "Die Revision will belegt haben, dass jede bezahlte Bestellung genau eine Rechnung hat. Schreib die Abfragen, erkläre die Sonderfälle (Teilerstattungen, stornierte und wieder geöffnete Bestellungen, doppelte Rechnungsnummern) und schlag Constraints vor, damit das nicht wieder passiert.",
            ),
            "fr": (
                "Avec ces tables, écris le SQL de rapprochement commandes/factures pour {year} : commandes non facturées, factures sans commande, écarts de montant et commandes remboursées mais facturées. Gère le multidevise, explique chaque étape et dis ce que la comptabilité doit examiner en premier.",
                "L'audit veut la preuve que chaque commande payée a exactement une facture. Écris les requêtes, explique les cas limites (remboursements partiels, commandes annulées puis rouvertes, numéros de facture en double) et propose des contraintes pour que cela ne se reproduise pas.",
            ),
            "es": (
                "Con estas tablas, escribe el SQL para conciliar pedidos y facturas de {year}: pedidos sin facturar, facturas sin pedido, diferencias de importe y pedidos reembolsados pero facturados. Ten en cuenta varias monedas, explica cada paso y di qué debe revisar primero finanzas.",
                "Auditoría quiere la prueba de que cada pedido pagado tiene exactamente una factura. Escribe las consultas, explica los casos límite (reembolsos parciales, pedidos cancelados y reabiertos, números de factura duplicados) y propón restricciones para que no vuelva a pasar.",
            ),
            "zh": (
                "用这些表写出{year}年订单与发票对账的SQL：找出未开票的订单、没有对应订单的发票、金额不一致的记录，以及已退款却仍开票的订单。要处理多币种，逐步解释，并说明财务应优先核查哪些结果。",
                "审计要求证明每个已付款订单都恰好对应一张发票。请写出查询语句，解释各种边界情况（部分退款、取消后又重新打开的订单、重复的发票号），并提出约束以防再次出错。",
            ),
            "ja": (
                "これらのテーブルを使い、{year}年の注文と請求書を突合するSQLを書いてください。未請求の注文、注文のない請求書、金額の不一致、返金済みなのに請求されている注文を抽出し、多通貨に対応し、各ステップを説明し、経理が最初に確認すべき結果を示してください。",
                "監査から、入金済みの注文すべてに請求書がちょうど1枚ずつあることの証明を求められています。クエリを書き、例外ケース（一部返金、キャンセル後の再開、請求書番号の重複）を説明し、再発を防ぐ制約を提案してください。",
            ),
        },
        _schema_and_query,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("sql", TASKS, rng)


FAMILY = Family(
    "sql",
    "Columns, keys and keywords read off pasted DDL; queries explained or written to a clear spec; schema "
    "design with indexes and migrations, slow-query diagnosis, ledger reconciliation in SQL",
    generate,
)
