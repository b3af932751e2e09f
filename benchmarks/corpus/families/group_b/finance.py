# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""finance: from "what is the invoice total" and one FX conversion to ledger reconciliation and NPV with sensitivity."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.banks import money
from benchmarks.corpus.families.group_b.engine import Filler, family, integer, phrase, pick, pick_lang
from benchmarks.corpus.families.group_b.tables import invoice, ledger, two_ledgers

PHRASINGS = (
    phrase(
        "invoice-total",
        "simple",
        "after-payload",
        en="{invoice}\n\nWhat's the total due on this invoice?",
        de="{invoice}\n\nWie hoch ist der Rechnungsbetrag?",
        fr="{invoice}\n\nQuel est le montant TTC de cette facture ?",
        es="{invoice}\n\n¿Cuál es el total a pagar de esta factura?",
        zh="{invoice}\n\n这张发票的价税合计是多少？",
        ja="{invoice}\n\nこの請求書の請求金額はいくらですか？",
    ),
    phrase(
        "invoice-fields",
        "simple",
        "json",
        en='Extract invoice number, due date and total as JSON {{"number": "", "due": "", "total": ""}}:\n\n{invoice}',
        de='Extrahiere Rechnungsnummer, Fälligkeit und Betrag als JSON {{"number": "", "due": "", "total": ""}}:\n\n{invoice}',
        fr='Extrais le numéro, l\'échéance et le total en JSON {{"number": "", "due": "", "total": ""}} :\n\n{invoice}',
        es='Extrae número, vencimiento y total en JSON {{"number": "", "due": "", "total": ""}}:\n\n{invoice}',
        zh='提取发票号码、付款期限和价税合计，输出 JSON {{"number": "", "due": "", "total": ""}}：\n\n{invoice}',
        ja='請求書番号・支払期限・請求金額を JSON {{"number": "", "due": "", "total": ""}} で抽出して。\n\n{invoice}',
    ),
    phrase(
        "fx-convert",
        "simple",
        "terse",
        en="convert {amount0} EUR to USD at {fx}",
        de="{amount0} EUR in USD, Kurs {fx}",
        fr="{amount0} EUR en USD au taux de {fx} ?",
        es="pasa {amount0} EUR a USD a {fx}",
        zh="{amount0}欧元按{fx}的汇率换成美元是多少",
        ja="{amount0}ユーロをレート{fx}でドルに換算すると？",
    ),
    phrase(
        "define-term",
        "simple",
        "question",
        en="What does {term} mean? One sentence.",
        de="Was bedeutet {term}? Ein Satz reicht.",
        fr="Que veut dire {term} ? Une phrase.",
        es="¿Qué significa {term}? En una frase.",
        zh="{term}是什么意思？一句话解释。",
        ja="{term}とは何ですか？一文で。",
    ),
    phrase(
        "largest-payment",
        "simple",
        "polite",
        en="Please tell me which outgoing payment in this extract is the largest (counterparty and amount).\n\n{ledger}",
        de="Sag mir bitte, welche Auszahlung in diesem Auszug die größte ist (Gegenpartei und Betrag).\n\n{ledger}",
        fr="Peux-tu m'indiquer le plus gros décaissement de cet extrait (tiers et montant) ?\n\n{ledger}",
        es="Por favor, dime cuál es el mayor pago saliente de este extracto (contraparte e importe).\n\n{ledger}",
        zh="请告诉我这份流水里金额最大的一笔支出（往来单位和金额）。\n\n{ledger}",
        ja="この明細で最も金額の大きい出金（取引先と金額）を教えてください。\n\n{ledger}",
    ),
    phrase(
        "payment-reminder",
        "medium",
        "draft",
        en="Draft a polite first payment reminder to {company} about invoice INV-{num} ({amount}), overdue since {date}.",
        de="Formulier eine freundliche erste Zahlungserinnerung an {company} zur Rechnung INV-{num} über {amount}, fällig seit {date}.",
        fr="Rédige une première relance de paiement courtoise à {company} pour la facture INV-{num} ({amount}), échue depuis le {date}.",
        es="Redacta un primer recordatorio de pago cordial a {company} por la factura INV-{num} ({amount}), vencida desde el {date}.",
        zh="给{company}写一封礼貌的首次付款提醒邮件，发票号 INV-{num}，金额{amount}，{date}起已逾期。",
        ja="{company}宛てに、請求書 INV-{num}（{amount}、{date}より支払期限超過）について丁寧な最初の支払い催促メールを書いてください。",
    ),
    phrase(
        "explain-accounting",
        "medium",
        "explain",
        en="Explain {concept} to a first-time founder in a short paragraph.",
        de="Erklär einer Gründerin {concept} in einem kurzen Absatz.",
        fr="Explique {concept} à un jeune fondateur en un court paragraphe.",
        es="Explícale {concept} a una fundadora primeriza en un párrafo corto.",
        zh="用一小段话向第一次创业的人解释{concept}。",
        ja="初めて起業する人向けに{concept}を短い段落で説明してください。",
    ),
    phrase(
        "vat-split",
        "medium",
        "table",
        en="Split these gross amounts into net and VAT at 20% and give a small table with totals: {amount}, {amount2}, {amount3}.",
        de="Teile diese Bruttobeträge in Netto und 19 % USt. auf und gib eine kleine Tabelle mit Summen aus: {amount}, {amount2}, {amount3}.",
        fr="Décompose ces montants TTC en HT et TVA à 20 % dans un petit tableau avec totaux : {amount}, {amount2}, {amount3}.",
        es="Desglosa estos importes brutos en base e IVA al 21% en una tablita con totales: {amount}, {amount2}, {amount3}.",
        zh="把这几笔含税金额按13%税率拆成不含税金额和税额，做成带合计的小表格：{amount}、{amount2}、{amount3}。",
        ja="次の税込金額を税率10%で税抜額と消費税に分け、合計付きの小さな表にしてください：{amount}、{amount2}、{amount3}。",
    ),
    phrase(
        "reconcile-ledgers",
        "complex",
        "after-payload",
        en="{ledgers}\n\nReconcile the bank statement against the general ledger: match the entries, list every unmatched or mismatched item with its likely cause, propose the correcting journal entries, and state the adjusted closing balance.",
        de="{ledgers}\n\nStimm den Kontoauszug mit dem Hauptbuch ab: Buchungen zuordnen, jede offene oder abweichende Position mit wahrscheinlicher Ursache auflisten, Korrekturbuchungen vorschlagen und den bereinigten Endsaldo angeben.",
        fr="{ledgers}\n\nRapproche le relevé bancaire du grand livre : apparie les écritures, liste chaque élément non rapproché ou divergent avec sa cause probable, propose les écritures de correction et donne le solde final ajusté.",
        es="{ledgers}\n\nConcilia el extracto bancario con el libro mayor: empareja los movimientos, enumera cada partida sin conciliar o discrepante con su causa probable, propón los asientos de corrección e indica el saldo final ajustado.",
        zh="{ledgers}\n\n请把银行流水和总账做对账：逐笔匹配，列出所有未达或不一致的项目及可能原因，给出调整分录，并算出调整后的期末余额。",
        ja="{ledgers}\n\n銀行明細と総勘定元帳を照合してください。取引を突き合わせ、一致しない・差異のある項目を原因の見立てとともに列挙し、修正仕訳を提案し、調整後の期末残高を示してください。",
    ),
    phrase(
        "npv-sensitivity",
        "complex",
        "short",
        en="Evaluate a {capex} investment returning {cf} a year for 6 years: NPV at 8%, IRR, payback, and a sensitivity table for ±20% cash flows and 6-10% discount rates. Recommend go or no-go.",
        de="Bewerte eine Investition von {capex} mit {cf} Rückfluss pro Jahr über 6 Jahre: Kapitalwert bei 8 %, IRR, Amortisationsdauer und eine Sensitivitätstabelle für ±20 % Cashflow und 6-10 % Zins. Empfehlung: ja oder nein?",
        fr="Évalue un investissement de {capex} rapportant {cf} par an sur 6 ans : VAN à 8 %, TRI, délai de récupération et tableau de sensibilité pour ±20 % de flux et des taux de 6 à 10 %. Recommande d'y aller ou non.",
        es="Evalúa una inversión de {capex} que rinde {cf} al año durante 6 años: VAN al 8%, TIR, plazo de recuperación y una tabla de sensibilidad con flujos ±20% y tasas del 6-10%. Recomienda si seguir adelante o no.",
        zh="评估一项投资：初始投入{capex}，未来6年每年回报{cf}。计算8%折现率下的NPV、IRR、回收期，并给出现金流±20%、折现率6%-10%的敏感性表，最后给出是否投资的建议。",
        ja="初期投資{capex}、6年間毎年{cf}のリターンがある案件を評価してください。割引率8%のNPV、IRR、回収期間、キャッシュフロー±20%・割引率6〜10%の感応度表を出し、実行すべきか提言してください。",
    ),
    phrase(
        "cash-forecast",
        "complex",
        "imperative",
        en="Build a 13-week cash-flow forecast for {company}: {revenue} monthly revenue, customers pay in 45 days, payroll {payroll} on the 25th, a {amount} tax payment in week 6. Flag the weeks we dip below zero and give three ways to close the gap with their cost.",
        de="Erstell eine 13-Wochen-Liquiditätsplanung für {company}: {revenue} Umsatz im Monat, Kunden zahlen nach 45 Tagen, Gehälter {payroll} jeweils am 25., eine Steuerzahlung von {amount} in Woche 6. Markiere die Wochen mit negativem Saldo und nenne drei Wege, die Lücke zu schließen, samt Kosten.",
        fr="Construis une prévision de trésorerie sur 13 semaines pour {company} : {revenue} de CA mensuel, clients payant à 45 jours, salaires de {payroll} le 25, un impôt de {amount} en semaine 6. Signale les semaines en négatif et propose trois moyens de combler l'écart avec leur coût.",
        es="Elabora una previsión de tesorería a 13 semanas para {company}: {revenue} de facturación mensual, clientes que pagan a 45 días, nóminas de {payroll} el día 25 y un pago de impuestos de {amount} en la semana 6. Señala las semanas en negativo y da tres formas de cubrir el hueco con su coste.",
        zh="为{company}做一份13周现金流预测：月收入{revenue}，客户账期45天，每月25日发薪{payroll}，第6周有一笔{amount}的税款。标出现金为负的周，并给出三种补缺口的办法及其成本。",
        ja="{company}の13週間資金繰り予測を作ってください。月商{revenue}、売掛金の回収は45日後、毎月25日に給与{payroll}、6週目に{amount}の納税があります。残高がマイナスになる週を示し、資金不足を埋める方法を3つ、コスト付きで提案してください。",
    ),
    phrase(
        "lease-vs-buy",
        "complex",
        "question",
        en="Should we lease or buy {fleet} delivery vans? Buy: {capex} total, 5-year life, 15% residual. Lease: {lease} a month, maintenance included. Our cost of debt is 6.5% and tax rate 25%. Compare on an after-tax NPV basis and tell me what assumptions would flip the answer.",
        de="Sollen wir {fleet} Lieferwagen leasen oder kaufen? Kauf: {capex} insgesamt, 5 Jahre Nutzung, 15 % Restwert. Leasing: {lease} im Monat inkl. Wartung. Fremdkapitalzins 6,5 %, Steuersatz 30 %. Vergleich bitte auf Basis des Kapitalwerts nach Steuern, und welche Annahmen würden das Ergebnis kippen?",
        fr="Faut-il louer ou acheter {fleet} utilitaires ? Achat : {capex} au total, durée 5 ans, valeur résiduelle 15 %. Location : {lease} par mois, entretien compris. Coût de la dette 6,5 %, taux d'IS 25 %. Compare en VAN après impôt et dis-moi quelles hypothèses renverseraient la conclusion.",
        es="¿Compramos o hacemos renting de {fleet} furgonetas? Compra: {capex} en total, 5 años de vida, 15% de valor residual. Renting: {lease} al mes con mantenimiento incluido. Coste de la deuda 6,5%, tipo impositivo 25%. Compara en VAN después de impuestos y dime qué supuestos cambiarían la conclusión.",
        zh="{fleet}辆配送车是租还是买？购买：总价{capex}，使用5年，残值15%；租赁：每月{lease}，含保养。债务成本6.5%，所得税率25%。请按税后NPV比较，并说明哪些假设变化会导致结论反转。",
        ja="配送用バン{fleet}台はリースと購入のどちらが良いですか？購入は総額{capex}・耐用5年・残存価値15%、リースは月額{lease}（保守込み）。負債コスト6.5%、税率30%。税引後NPVで比較し、結論が逆転する前提条件も教えてください。",
    ),
    phrase(
        "audit-invoice",
        "complex",
        "polite",
        en="Before we pay this, could you audit it? Check the arithmetic and VAT, flag anything unusual about the terms or bank details, tell me which cost centre and GL accounts it should be booked to, and whether it needs a second approver under a 10,000 limit.\n\n{invoice}",
        de="Bevor wir zahlen: Könntest du die Rechnung prüfen? Rechnung und USt. nachrechnen, Auffälligkeiten bei Konditionen oder Bankdaten markieren, sagen, auf welche Kostenstelle und Sachkonten sie zu buchen ist und ob sie bei einer Freigabegrenze von 10.000 € eine zweite Freigabe braucht.\n\n{invoice}",
        fr="Avant de payer, pourrais-tu auditer cette facture ? Vérifie les calculs et la TVA, signale toute anomalie dans les conditions ou les coordonnées bancaires, indique le centre de coût et les comptes à utiliser, et dis si elle exige une seconde validation au-delà de 10 000 €.\n\n{invoice}",
        es="Antes de pagarla, ¿podrías auditar esta factura? Revisa los cálculos y el IVA, señala cualquier cosa rara en las condiciones o los datos bancarios, dime a qué centro de coste y cuentas contables imputarla y si necesita un segundo aprobador con un límite de 10.000 €.\n\n{invoice}",
        zh="付款前麻烦帮忙审核一下这张发票：核对金额和税额计算，标出条款或收款账户中的异常，说明应记入哪个成本中心和会计科目，以及按1万元审批权限是否需要二级审批。\n\n{invoice}",
        ja="支払い前にこの請求書を監査していただけますか。計算と消費税の確認、条件や振込先の不審点の指摘、計上すべきコストセンターと勘定科目、承認上限100万円のルールで二次承認が必要かどうかを教えてください。\n\n{invoice}",
    ),
)

TERMS_LANG = {
    "en": [
        "EBITDA",
        "accrual accounting",
        "DSO",
        "working capital",
        "deferred revenue",
        "a credit note",
        "a three-way match",
    ],
    "de": ["EBITDA", "Rechnungsabgrenzung", "DSO", "Working Capital", "eine Gutschrift", "Skonto", "Vorsteuerabzug"],
    "fr": [
        "l'EBITDA",
        "la comptabilité d'engagement",
        "le DSO",
        "le BFR",
        "un avoir",
        "l'escompte",
        "la TVA déductible",
    ],
    "es": [
        "el EBITDA",
        "el principio de devengo",
        "el DSO",
        "el fondo de maniobra",
        "una factura rectificativa",
        "el IVA soportado",
        "el prorrateo",
    ],
    "zh": ["EBITDA", "权责发生制", "应收账款周转天数", "营运资金", "红字发票", "进项税额抵扣", "三单匹配"],
    "ja": ["EBITDA", "発生主義", "DSO", "運転資本", "赤伝", "仕入税額控除", "インボイス制度"],
}
CONCEPTS = {
    "en": [
        "the difference between cash and accrual accounting",
        "why profit is not the same as cash",
        "what a cash runway is",
    ],
    "de": [
        "den Unterschied zwischen Einnahmen-Überschuss-Rechnung und Bilanzierung",
        "warum Gewinn nicht gleich Liquidität ist",
        "was der Cash-Runway ist",
    ],
    "fr": [
        "la différence entre comptabilité de trésorerie et d'engagement",
        "pourquoi le bénéfice n'est pas la trésorerie",
        "ce qu'est la « runway »",
    ],
    "es": [
        "la diferencia entre criterio de caja y de devengo",
        "por qué beneficio no es lo mismo que caja",
        "qué es el runway de caja",
    ],
    "zh": ["收付实现制和权责发生制的区别", "为什么利润不等于现金", "什么是现金跑道（runway）"],
    "ja": ["現金主義と発生主義の違い", "利益と現金が一致しない理由", "キャッシュランウェイとは何か"],
}


def _money_between(lo: int, hi: int) -> Filler:
    return lambda rng, lang: money(rng.randint(lo, hi) * 1000, lang)


FILLERS = {
    "invoice": invoice,
    "ledger": ledger,
    "ledgers": two_ledgers,
    "term": pick_lang(TERMS_LANG),
    "concept": pick_lang(CONCEPTS),
    "amount0": pick(["1,250", "980", "15,400", "7,320.50", "2,048", "560"]),
    "fx": pick(["1.08", "1.0825", "1.12", "1.05"]),
    "capex": _money_between(200, 2500),
    "cf": _money_between(50, 600),
    "revenue": _money_between(300, 1200),
    "payroll": _money_between(150, 700),
    "lease": _money_between(2, 9),
    "fleet": integer(6, 40),
}

SYSTEM_PROMPTS = {
    "en": [
        "You are the assistant of {company}'s finance team. Be exact with amounts.",
        "You are an accounts-payable assistant. Answer briefly.",
    ],
    "de": [
        "Du bist der Assistent der Finanzabteilung von {company}. Beträge exakt angeben.",
        "Du unterstützt die Kreditorenbuchhaltung. Antworte kurz.",
    ],
    "fr": [
        "Tu es l'assistant de l'équipe finance de {company}. Sois exact sur les montants.",
        "Tu assistes le service comptabilité fournisseurs. Réponds brièvement.",
    ],
    "es": [
        "Eres el asistente del equipo de finanzas de {company}. Sé exacto con los importes.",
        "Ayudas al departamento de cuentas a pagar. Responde brevemente.",
    ],
    "zh": ["你是{company}财务部的助理，金额必须准确。", "你是应付账款助手，回答要简短。"],
    "ja": [
        "あなたは{company}経理部のアシスタントです。金額は正確に。",
        "あなたは買掛金担当のアシスタントです。簡潔に答えてください。",
    ],
}

FINANCE = family(
    "finance",
    "Invoices, ledgers and money questions: one total or conversion up to reconciliations, NPV and cash forecasts.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
