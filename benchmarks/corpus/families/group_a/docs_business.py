# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""Pasted contracts, invoices, meeting notes, tables and logs, native in each language."""

from __future__ import annotations

import datetime
import random

from benchmarks.corpus.families.group_a.banks import CITIES, COMPANIES, PEOPLE, Slots, fmt_amount, fmt_date

_CONTRACT: dict[str, tuple[str, ...]] = {
    "en": (
        'MASTER SERVICES AGREEMENT between {company} ("Customer") and {company2} ("Provider")',
        "1. Term. This Agreement commences on {date2} and continues for an initial term of {months} months. It renews automatically for successive 12-month periods unless either party gives written notice of non-renewal at least 90 days before the end of the then-current term.",
        "2. Fees. Customer shall pay an annual fee of {amount}, invoiced in advance. Provider may increase fees once per year by no more than {percent}% with 60 days' written notice.",
        "3. Payment. Invoices are payable within 30 days of receipt. Late amounts bear interest at 1% per month.",
        "4. Service levels. Provider guarantees 99.9% monthly availability. For each full 0.1% below that level, Customer receives a service credit of 5% of the monthly fee, capped at 30%.",
        "5. Liability. Except for breaches of confidentiality, each party's total liability is limited to the fees paid in the twelve months preceding the claim.",
        "6. Termination. Either party may terminate for material breach not cured within 30 days of written notice. Customer may terminate for convenience with 6 months' notice, subject to an early termination fee equal to three monthly fees.",
        "7. Governing law. This Agreement is governed by the laws of the State of New York.",
    ),
    "de": (
        'RAHMENVERTRAG ÜBER DIENSTLEISTUNGEN zwischen {company} ("Auftraggeber") und {company2} ("Auftragnehmer")',
        "§ 1 Laufzeit. Der Vertrag beginnt am {date2} und hat eine Erstlaufzeit von {months} Monaten. Er verlängert sich automatisch um jeweils 12 Monate, sofern er nicht mit einer Frist von drei Monaten zum Ende der jeweiligen Laufzeit schriftlich gekündigt wird.",
        "§ 2 Vergütung. Der Auftraggeber zahlt eine jährliche Vergütung von {amount}, die im Voraus in Rechnung gestellt wird. Der Auftragnehmer darf die Vergütung einmal jährlich um höchstens {percent} % mit einer Ankündigungsfrist von 60 Tagen erhöhen.",
        "§ 3 Zahlung. Rechnungen sind innerhalb von 30 Tagen nach Zugang ohne Abzug zahlbar. Bei Verzug fallen Zinsen in Höhe von neun Prozentpunkten über dem Basiszinssatz an.",
        "§ 4 Verfügbarkeit. Der Auftragnehmer gewährleistet eine monatliche Verfügbarkeit von 99,9 %. Für jede volle Unterschreitung um 0,1 % erhält der Auftraggeber eine Gutschrift von 5 % der Monatsvergütung, höchstens 30 %.",
        "§ 5 Haftung. Außer bei Vorsatz, grober Fahrlässigkeit und Verletzung der Vertraulichkeit ist die Haftung jeder Partei auf die in den letzten zwölf Monaten gezahlte Vergütung begrenzt.",
        "§ 6 Kündigung. Das Recht zur außerordentlichen Kündigung aus wichtigem Grund bleibt unberührt. Der Auftraggeber kann ordentlich mit einer Frist von sechs Monaten kündigen; in diesem Fall ist eine Ausgleichszahlung in Höhe von drei Monatsvergütungen fällig.",
        "§ 7 Gerichtsstand. Es gilt deutsches Recht. Gerichtsstand ist {city}.",
    ),
    "fr": (
        "CONTRAT-CADRE DE PRESTATION DE SERVICES entre {company} (le « Client ») et {company2} (le « Prestataire »)",
        "Article 1 – Durée. Le contrat prend effet le {date2} pour une durée initiale de {months} mois. Il est reconduit tacitement par périodes de 12 mois, sauf dénonciation par lettre recommandée au moins trois mois avant l'échéance.",
        "Article 2 – Prix. Le Client verse une redevance annuelle de {amount} HT, facturée d'avance. Le Prestataire peut réviser le prix une fois par an, dans la limite de {percent} %, moyennant un préavis de 60 jours.",
        "Article 3 – Paiement. Les factures sont payables à 30 jours date de réception. Tout retard entraîne des pénalités égales à trois fois le taux d'intérêt légal et une indemnité forfaitaire de 40 €.",
        "Article 4 – Niveau de service. Le Prestataire garantit une disponibilité mensuelle de 99,9 %. Chaque tranche de 0,1 % en dessous donne droit à un avoir de 5 % de la redevance mensuelle, plafonné à 30 %.",
        "Article 5 – Responsabilité. Hors faute lourde et manquement à la confidentialité, la responsabilité de chaque partie est limitée aux sommes versées au cours des douze derniers mois.",
        "Article 6 – Résiliation. En cas de manquement grave non réparé dans les 30 jours suivant une mise en demeure, l'autre partie peut résilier de plein droit. Le Client peut résilier sans motif avec un préavis de six mois, moyennant une indemnité égale à trois mois de redevance.",
        "Article 7 – Droit applicable. Le contrat est soumis au droit français ; compétence exclusive des tribunaux de {city}.",
    ),
    "es": (
        "CONTRATO MARCO DE PRESTACIÓN DE SERVICIOS entre {company} (el «Cliente») y {company2} (el «Proveedor»)",
        "Cláusula 1. Duración. El contrato entra en vigor el {date2} con una duración inicial de {months} meses. Se prorrogará automáticamente por periodos de 12 meses salvo preaviso escrito de no renovación con al menos 90 días de antelación.",
        "Cláusula 2. Precio. El Cliente abonará una cuota anual de {amount}, facturada por adelantado. El Proveedor podrá actualizar el precio una vez al año en un máximo del {percent} %, con 60 días de preaviso.",
        "Cláusula 3. Pago. Las facturas se pagarán en un plazo de 30 días desde su recepción. Las cantidades vencidas devengarán el interés de demora legal.",
        "Cláusula 4. Niveles de servicio. El Proveedor garantiza una disponibilidad mensual del 99,9 %. Por cada 0,1 % completo por debajo, el Cliente recibirá un abono del 5 % de la cuota mensual, con un máximo del 30 %.",
        "Cláusula 5. Responsabilidad. Salvo dolo e incumplimiento de la confidencialidad, la responsabilidad de cada parte se limita a las cantidades abonadas en los doce meses anteriores a la reclamación.",
        "Cláusula 6. Resolución. Cualquiera de las partes podrá resolver el contrato por incumplimiento grave no subsanado en 30 días. El Cliente podrá desistir con seis meses de preaviso, abonando una penalización equivalente a tres cuotas mensuales.",
        "Cláusula 7. Ley aplicable. El contrato se rige por la legislación española; las partes se someten a los juzgados de {city}.",
    ),
    "zh": (
        "服务框架协议\n甲方（客户）：{company}\n乙方（服务商）：{company2}",
        "第一条 合同期限。本协议自{date2}起生效，初始期限为{months}个月。期满前90日内任何一方未书面提出不续约的，本协议自动续期12个月，以此类推。",
        "第二条 费用。甲方每年向乙方支付服务费{amount}，按年预付。乙方每年最多调价一次，涨幅不超过{percent}%，并须提前60日书面通知甲方。",
        "第三条 付款。甲方应在收到发票后30日内付款。逾期付款的，每日按未付金额的万分之五支付违约金。",
        "第四条 服务水平。乙方保证每月可用率不低于99.9%。每低于0.1%，乙方按当月服务费的5%向甲方提供服务抵扣，累计不超过30%。",
        "第五条 责任限制。除违反保密义务外，任何一方的累计赔偿责任以索赔前十二个月内甲方已支付的费用为限。",
        "第六条 解除。一方严重违约且在收到书面通知后30日内未纠正的，另一方可解除本协议。甲方可提前六个月书面通知解除本协议，但须支付相当于三个月服务费的提前解约金。",
        "第七条 适用法律。本协议适用中华人民共和国法律，争议提交{city}仲裁委员会仲裁。",
    ),
    "ja": (
        "業務委託基本契約書\n委託者：{company}（以下「甲」）\n受託者：{company2}（以下「乙」）",
        "第1条（契約期間）本契約の有効期間は{date2}から{months}か月間とする。期間満了の90日前までにいずれの当事者からも書面による別段の申出がないときは、さらに12か月間同一条件で更新されるものとし、以後も同様とする。",
        "第2条（委託料）甲は乙に対し、年額{amount}（税別）を前払いにて支払う。乙は年1回に限り、60日前までに書面で通知することにより、{percent}%を上限として委託料を改定できる。",
        "第3条（支払）甲は請求書受領後30日以内に支払う。支払を遅延した場合、年14.6%の遅延損害金を支払う。",
        "第4条（サービスレベル）乙は月間稼働率99.9%を保証する。これを0.1%下回るごとに月額委託料の5%を減額し、上限は30%とする。",
        "第5条（損害賠償）秘密保持義務違反を除き、各当事者の賠償責任の総額は、請求前12か月間に甲が支払った委託料の総額を上限とする。",
        "第6条（解除）相手方が重大な契約違反を行い、書面による催告後30日以内に是正しない場合、本契約を解除できる。甲は6か月前の書面通知により本契約を中途解約できるが、この場合、月額委託料の3か月分を解約金として支払う。",
        "第7条（準拠法・管轄）本契約は日本法に準拠し、{city}地方裁判所を第一審の専属的合意管轄裁判所とする。",
    ),
}

_INVOICE_LABELS = {
    "en": (
        "INVOICE",
        "Invoice no.",
        "Invoice date",
        "Due date",
        "Bill to",
        "Description",
        "Qty",
        "Unit price",
        "Subtotal",
        "VAT",
        "Total due",
        "Payment terms: 30 days net. Bank transfer to IBAN GB29 NWBK 6016 1331 9268 19.",
    ),
    "de": (
        "RECHNUNG",
        "Rechnungsnr.",
        "Rechnungsdatum",
        "Fällig am",
        "Rechnungsempfänger",
        "Bezeichnung",
        "Menge",
        "Einzelpreis",
        "Zwischensumme",
        "MwSt. 19 %",
        "Gesamtbetrag",
        "Zahlbar innerhalb von 30 Tagen ohne Abzug. IBAN DE89 3704 0044 0532 0130 00.",
    ),
    "fr": (
        "FACTURE",
        "N° de facture",
        "Date de facture",
        "Échéance",
        "Facturé à",
        "Désignation",
        "Qté",
        "Prix unitaire HT",
        "Total HT",
        "TVA 20 %",
        "Net à payer",
        "Paiement à 30 jours par virement. IBAN FR76 3000 6000 0112 3456 7890 189.",
    ),
    "es": (
        "FACTURA",
        "N.º de factura",
        "Fecha de emisión",
        "Vencimiento",
        "Cliente",
        "Concepto",
        "Cant.",
        "Precio unitario",
        "Base imponible",
        "IVA 21 %",
        "Total a pagar",
        "Forma de pago: transferencia a 30 días. IBAN ES91 2100 0418 4502 0005 1332.",
    ),
    "zh": (
        "增值税普通发票",
        "发票号码",
        "开票日期",
        "付款期限",
        "购买方",
        "项目名称",
        "数量",
        "单价",
        "金额合计",
        "税额（13%）",
        "价税合计",
        "付款方式：银行转账，开票后30日内付清。开户行：招商银行上海分行",
    ),
    "ja": (
        "請求書",
        "請求書番号",
        "発行日",
        "お支払期限",
        "請求先",
        "品名",
        "数量",
        "単価",
        "小計",
        "消費税（10%）",
        "ご請求金額",
        "お振込先：三井住友銀行 本店営業部 普通 1234567（振込手数料はご負担ください）",
    ),
}
_LINE_ITEMS = {
    "en": (
        "Consulting hours (senior)",
        "Annual software licence",
        "On-site installation",
        "Hardware: X200 scanner",
        "Training workshop (1 day)",
        "Express shipping",
    ),
    "de": (
        "Beratungsstunden (Senior)",
        "Software-Jahreslizenz",
        "Installation vor Ort",
        "Hardware: Scanner X200",
        "Schulung (1 Tag)",
        "Expressversand",
    ),
    "fr": (
        "Heures de conseil (senior)",
        "Licence logicielle annuelle",
        "Installation sur site",
        "Matériel : lecteur X200",
        "Atelier de formation (1 jour)",
        "Livraison express",
    ),
    "es": (
        "Horas de consultoría (sénior)",
        "Licencia anual de software",
        "Instalación in situ",
        "Hardware: lector X200",
        "Taller de formación (1 día)",
        "Envío urgente",
    ),
    "zh": ("高级咨询服务（小时）", "软件年度授权", "现场安装服务", "硬件：X200扫码枪", "培训（1天）", "加急运费"),
    "ja": (
        "コンサルティング（シニア）",
        "ソフトウェア年間ライセンス",
        "現地設置作業",
        "ハードウェア：X200スキャナー",
        "研修（1日）",
        "特急配送",
    ),
}
_VAT = {"en": 0.0, "de": 0.19, "fr": 0.20, "es": 0.21, "zh": 0.13, "ja": 0.10}

_NOTES: dict[str, tuple[str, ...]] = {
    "en": (
        "Weekly ops sync – {date}\nAttendees: {person}, {person2}, {person3}\n",
        "1. Warehouse move to {city}: lease signed; move starts in week 3, {person2} owns the IT cut-over. Risk: the forklift supplier hasn't confirmed.",
        "2. Q3 budget: marketing asked for +{percent}%; finance says no before the board meeting. Decision postponed.",
        "3. Customer churn: 4 enterprise accounts flagged; {person3} to call each before Friday.",
        "4. Hiring: two open roles ({role}); offers out to one candidate, the other role is on hold.",
        "Action items: {person} – send revised budget by {date2}; {person2} – cut-over plan; {person3} – churn calls.",
        "Next meeting: same time next week, room 4B.",
    ),
    "de": (
        "Wöchentliches Ops-Meeting – {date}\nTeilnehmende: {person}, {person2}, {person3}\n",
        "1. Lagerumzug nach {city}: Mietvertrag unterschrieben, Umzug ab KW 3, {person2} verantwortet die IT-Umstellung. Risiko: Gabelstapler-Lieferant hat noch nicht bestätigt.",
        "2. Budget Q3: Marketing möchte +{percent} %; Finanzen lehnt vor der Aufsichtsratssitzung ab. Entscheidung vertagt.",
        "3. Kundenabwanderung: 4 Großkunden markiert; {person3} ruft alle bis Freitag an.",
        "4. Recruiting: zwei offene Stellen ({role}); ein Angebot ist raus, die zweite Stelle ist eingefroren.",
        "To-dos: {person} – überarbeitetes Budget bis {date2}; {person2} – Umstellungsplan; {person3} – Kundengespräche.",
        "Nächster Termin: gleiche Zeit nächste Woche, Raum 4B.",
    ),
    "fr": (
        "Point hebdo opérations – {date}\nParticipants : {person}, {person2}, {person3}\n",
        "1. Déménagement de l'entrepôt à {city} : bail signé ; début en semaine 3, {person2} pilote la bascule informatique. Risque : le loueur de chariots n'a pas confirmé.",
        "2. Budget T3 : le marketing demande +{percent} % ; la finance refuse avant le conseil d'administration. Décision reportée.",
        "3. Attrition : 4 grands comptes signalés ; {person3} les appelle tous avant vendredi.",
        "4. Recrutement : deux postes ouverts ({role}) ; une offre envoyée, l'autre poste est gelé.",
        "Actions : {person} – budget révisé pour le {date2} ; {person2} – plan de bascule ; {person3} – appels clients.",
        "Prochaine réunion : même heure la semaine prochaine, salle 4B.",
    ),
    "es": (
        "Reunión semanal de operaciones – {date}\nAsistentes: {person}, {person2}, {person3}\n",
        "1. Traslado del almacén a {city}: contrato firmado; la mudanza empieza en la semana 3 y {person2} se encarga del cambio de sistemas. Riesgo: el proveedor de carretillas no ha confirmado.",
        "2. Presupuesto T3: marketing pide un +{percent} %; finanzas dice que no antes del consejo. Decisión aplazada.",
        "3. Bajas de clientes: 4 cuentas grandes en riesgo; {person3} las llamará antes del viernes.",
        "4. Contratación: dos vacantes ({role}); una oferta enviada, la otra vacante está congelada.",
        "Tareas: {person} – presupuesto revisado antes del {date2}; {person2} – plan de migración; {person3} – llamadas.",
        "Próxima reunión: misma hora la semana que viene, sala 4B.",
    ),
    "zh": (
        "运营周会纪要 – {date}\n参会人：{person}、{person2}、{person3}\n",
        "1. 仓库搬迁至{city}：租约已签，第3周开始搬迁，{person2}负责IT切换。风险：叉车供应商尚未确认。",
        "2. 第三季度预算：市场部申请增加{percent}%；财务表示董事会召开前不批。暂不决定。",
        "3. 客户流失：4个大客户被标记为高风险；{person3}周五前逐一电话沟通。",
        "4. 招聘：两个空缺岗位（{role}）；一个候选人已发offer，另一个岗位暂停招聘。",
        "待办事项：{person}——{date2}前提交修订后的预算；{person2}——切换方案；{person3}——客户回访。",
        "下次会议：下周同一时间，4B会议室。",
    ),
    "ja": (
        "週次オペレーション会議 議事録（{date}）\n出席者：{person}、{person2}、{person3}\n",
        "1. {city}への倉庫移転：賃貸契約締結済み。第3週から移転開始、ITの切替は{person2}が担当。リスク：フォークリフト業者が未確定。",
        "2. 第3四半期予算：マーケティングから{percent}%増の要望あり。経理は取締役会前の承認は不可との見解。結論は持ち越し。",
        "3. 解約リスク：大口顧客4社が要注意。{person3}が金曜までに全社へ連絡する。",
        "4. 採用：{role}の募集2枠。1名に内定通知済み、もう1枠は保留。",
        "アクション：{person}－{date2}までに予算修正版を送付／{person2}－切替計画／{person3}－顧客への連絡",
        "次回：来週同時刻、会議室4B",
    ),
}

_CSV_HEAD = {
    "en": ("name,company,street,city,postcode,country", "United States"),
    "de": ("Name;Firma;Straße;Ort;PLZ;Land", "Deutschland"),
    "fr": ("nom;société;adresse;ville;code postal;pays", "France"),
    "es": ("nombre;empresa;dirección;ciudad;código postal;país", "España"),
    "zh": ("姓名,公司,地址,城市,邮编,国家", "中国"),
    "ja": ("氏名,会社名,住所,市区町村,郵便番号,国", "日本"),
}
_STREETS = {
    "en": ("{n} Oak Street", "{n} Market Ave, Suite 300", "{n} Riverside Drive"),
    "de": ("Hauptstraße {n}", "Industriestr. {n}a", "Am Hafen {n}"),
    "fr": ("{n} rue de la République", "{n} avenue Jean Jaurès", "{n} bd Voltaire"),
    "es": ("Calle Mayor {n}", "Avda. de la Constitución {n}, 3.º B", "Paseo de Gracia {n}"),
    "zh": ("浦东新区世纪大道{n}号", "南山区科技园路{n}号", "西湖区文三路{n}号"),
    "ja": ("中央区日本橋{n}-3-1", "北区梅田{n}-8", "中区栄{n}-2-5"),
}

_LOG = (
    "{ts}Z INFO  api-gateway  request_id=7f3a route=/v1/orders status=200 latency_ms=84",
    '{ts}Z WARN  payments     retry=2 provider=stripe err="timeout after 10000ms" order={order}',
    '{ts}Z ERROR payments     order={order} msg="card_declined" code=insufficient_funds',
    "{ts}Z INFO  scheduler    job=nightly-export rows=201443 duration_s=912",
    '{ts}Z ERROR db-pool      msg="remaining connection slots are reserved" pool=primary active=100 idle=0',
    "{ts}Z WARN  api-gateway  route=/v1/export status=504 latency_ms=30001 upstream=reports",
    "{ts}Z INFO  auth         user={user} action=login result=success mfa=totp",
    '{ts}Z ERROR auth         user={user} action=login result=failure reason="502 from idp"',
    "{ts}Z INFO  deploy       service=reports version=2.14.0 replicas=3",
)


def contract(rng: random.Random, lang: str, slots: Slots) -> str:
    title, *clauses = _CONTRACT[lang]
    keep = sorted(rng.sample(range(len(clauses)), rng.randint(4, len(clauses))))
    return "\n\n".join([title, *(clauses[i] for i in keep)]).format(**slots)


def contract_pair(rng: random.Random, lang: str, slots: Slots) -> str:
    """Two versions of one agreement whose figures differ, for reconciliation requests."""
    other = slots | {
        "months": str(int(slots["months"]) + 12),
        "percent": str(int(slots["percent"]) + 2),
        "amount": slots["amount2"],
        "date2": slots["date"],
    }
    label_a, label_b = {
        "en": ("VERSION A", "VERSION B"),
        "de": ("FASSUNG A", "FASSUNG B"),
        "fr": ("VERSION A", "VERSION B"),
        "es": ("VERSIÓN A", "VERSIÓN B"),
        "zh": ("版本A", "版本B"),
        "ja": ("A版", "B版"),
    }[lang]
    return f"{label_a}\n{contract(rng, lang, slots)}\n\n{label_b}\n{contract(rng, lang, other)}"


def invoice(rng: random.Random, lang: str, slots: Slots) -> str:
    lab = _INVOICE_LABELS[lang]
    items = rng.sample(_LINE_ITEMS[lang], rng.randint(2, 4))
    lines, subtotal = [], 0.0
    for item in items:
        qty, price = rng.choice((1, 2, 5, 10, 40)), rng.choice((45.0, 120.0, 380.0, 1450.0, 9.9))
        subtotal += qty * price
        lines.append(f"{item:<32} {qty:>4}  {fmt_amount(lang, price):>14}  {fmt_amount(lang, qty * price):>14}")
    vat = subtotal * _VAT[lang]
    issued = datetime.date(int(slots["year"]), rng.randint(1, 12), rng.randint(1, 28))
    due = issued + datetime.timedelta(days=30)
    return "\n".join(
        [
            f"{lab[0]} — {slots['company2']}",
            f"{lab[1]}: {slots['invoice']}",
            f"{lab[2]}: {fmt_date(lang, issued.year, issued.month, issued.day)}",
            f"{lab[3]}: {fmt_date(lang, due.year, due.month, due.day)}",
            f"{lab[4]}: {slots['company']}, {slots['city']} ({slots['order']})",
            "",
            f"{lab[5]:<32} {lab[6]:>4}  {lab[7]:>14}",
            *lines,
            "",
            f"{lab[8]}: {fmt_amount(lang, subtotal)}",
            f"{lab[9]}: {fmt_amount(lang, vat)}",
            f"{lab[10]}: {fmt_amount(lang, subtotal + vat)}",
            "",
            lab[11],
        ]
    )


def meeting_notes(rng: random.Random, lang: str, slots: Slots) -> str:
    head, *items = _NOTES[lang]
    keep = sorted(rng.sample(range(len(items)), rng.randint(4, len(items))))
    return (head + "\n".join(items[i] for i in keep)).format(**slots)


def address_csv(rng: random.Random, lang: str, slots: Slots) -> str:
    head, country = _CSV_HEAD[lang]
    sep = ";" if ";" in head else ","
    rows = [head]
    for _ in range(rng.randint(5, 12)):
        street = rng.choice(_STREETS[lang]).format(n=rng.randint(2, 180))
        rows.append(
            sep.join(
                (
                    rng.choice(PEOPLE[lang]),
                    rng.choice(COMPANIES[lang]),
                    street,
                    rng.choice(CITIES[lang]),
                    str(rng.randint(10000, 99999)),
                    country,
                )
            )
        )
    return "\n".join(rows)


def address_lines(rng: random.Random, lang: str, slots: Slots) -> str:
    """The same data as people paste it from an email signature: one messy block per contact."""
    blocks = []
    for _ in range(rng.randint(3, 7)):
        street = rng.choice(_STREETS[lang]).format(n=rng.randint(2, 180))
        blocks.append(
            f"{rng.choice(PEOPLE[lang])} - {rng.choice(COMPANIES[lang])}\n{street}\n"
            f"{rng.randint(10000, 99999)} {rng.choice(CITIES[lang])}"
        )
    return "\n\n".join(blocks)


def log_lines(rng: random.Random, lang: str, slots: Slots) -> str:
    hour = rng.randint(0, 22)
    picked = [rng.choice(_LOG) for _ in range(rng.randint(6, 14))]
    return "\n".join(
        line.format(
            ts=f"{slots['year']}-03-14T{hour:02d}:{n * 3 % 60:02d}:{n * 7 % 60:02d}",
            order=slots["order"],
            user=f"u{1000 + n}",
        )
        for n, line in enumerate(picked)
    )
