# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Contract clauses for the legal family, written per legal culture; slots vary the terms between two versions."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_b import banks

# Clause order: term and renewal, fees, liability, data protection, confidentiality, termination, governing law.
_CLAUSES = {
    "en": (
        'MASTER SERVICES AGREEMENT between {company} ("Customer") and {company2} ("Provider") – extract',
        [
            "1. Term. This Agreement starts on the Effective Date and runs for {months} months. It renews automatically for successive 12-month periods unless either party gives written notice of non-renewal at least {notice} days before the end of the then-current term.",
            "2. Fees. Customer shall pay the fees in Schedule B within {days} days of the invoice date. Provider may increase fees once per year by no more than {pct}% on 60 days' written notice. Late payments bear interest at 1% per month.",
            "3. Limitation of Liability. Except for breach of confidentiality or wilful misconduct, each party's aggregate liability under this Agreement is limited to {cap}. Neither party is liable for indirect or consequential loss, including lost profits.",
            "4. Data Protection. Provider may process Customer Personal Data as needed to perform the Services and may engage sub-processors at its discretion. Provider will take reasonable security measures and will notify Customer of a personal data breach without undue delay.",
            "5. Confidentiality. Each party shall keep the other's Confidential Information secret for the term and {years} years thereafter and use it only to perform this Agreement.",
            "6. Termination. Either party may terminate for material breach not cured within 30 days of written notice. Customer may terminate for convenience on {notice} days' notice, subject to paying fees for the remainder of the current term.",
            "7. Governing Law. This Agreement is governed by the laws of {law}, and the courts of {venue} have exclusive jurisdiction.",
        ],
    ),
    "de": (
        'RAHMENVERTRAG zwischen der {company} ("Auftraggeber") und der {company2} ("Auftragnehmer") – Auszug',
        [
            "§ 1 Laufzeit. Der Vertrag beginnt mit Unterzeichnung und läuft {months} Monate. Er verlängert sich jeweils um 12 Monate, sofern er nicht mit einer Frist von {notice} Tagen zum Laufzeitende schriftlich gekündigt wird.",
            "§ 2 Vergütung. Rechnungen sind innerhalb von {days} Tagen nach Rechnungsdatum ohne Abzug zahlbar. Der Auftragnehmer darf die Preise einmal jährlich um höchstens {pct} % mit einer Ankündigungsfrist von 60 Tagen anpassen.",
            "§ 3 Haftung. Außer bei Vorsatz, grober Fahrlässigkeit und Verletzung von Leben, Körper oder Gesundheit ist die Haftung beider Parteien insgesamt auf {cap} begrenzt. Die Haftung für entgangenen Gewinn und mittelbare Schäden ist ausgeschlossen.",
            "§ 4 Datenschutz. Der Auftragnehmer verarbeitet personenbezogene Daten des Auftraggebers, soweit dies zur Leistungserbringung erforderlich ist, und darf nach eigenem Ermessen Unterauftragnehmer einsetzen. Er trifft angemessene Sicherheitsmaßnahmen und informiert den Auftraggeber unverzüglich über Datenschutzverletzungen.",
            "§ 5 Vertraulichkeit. Die Parteien behandeln vertrauliche Informationen der jeweils anderen Partei während der Vertragslaufzeit und {years} Jahre darüber hinaus vertraulich.",
            "§ 6 Kündigung. Das Recht zur außerordentlichen Kündigung aus wichtigem Grund bleibt unberührt. Der Auftraggeber kann mit einer Frist von {notice} Tagen ordentlich kündigen; die Vergütung für die laufende Vertragsperiode bleibt geschuldet.",
            "§ 7 Anwendbares Recht. Es gilt {law} unter Ausschluss des UN-Kaufrechts. Ausschließlicher Gerichtsstand ist {venue}.",
        ],
    ),
    "fr": (
        "CONTRAT-CADRE DE PRESTATIONS entre {company} (« le Client ») et {company2} (« le Prestataire ») – extrait",
        [
            "Article 1 – Durée. Le contrat prend effet à sa signature pour une durée de {months} mois. Il est reconduit tacitement par périodes de 12 mois, sauf dénonciation par lettre recommandée au moins {notice} jours avant l'échéance.",
            "Article 2 – Prix. Les factures sont payables à {days} jours date de facture. Le Prestataire peut réviser ses prix une fois par an, dans la limite de {pct} %, moyennant un préavis de 60 jours.",
            "Article 3 – Responsabilité. Sauf faute lourde ou dolosive, la responsabilité totale de chaque partie est plafonnée à {cap}. Aucune partie ne répond des dommages indirects, notamment la perte de chiffre d'affaires.",
            "Article 4 – Données personnelles. Le Prestataire traite les données personnelles du Client dans la mesure nécessaire à l'exécution des prestations et peut recourir librement à des sous-traitants ultérieurs. Il met en œuvre des mesures de sécurité raisonnables et notifie toute violation de données dans les meilleurs délais.",
            "Article 5 – Confidentialité. Chaque partie garde confidentielles les informations de l'autre pendant la durée du contrat et {years} ans après son terme.",
            "Article 6 – Résiliation. Chaque partie peut résilier en cas de manquement grave non réparé 30 jours après mise en demeure. Le Client peut résilier sans motif avec un préavis de {notice} jours, les sommes dues jusqu'au terme de la période en cours restant exigibles.",
            "Article 7 – Droit applicable. Le contrat est soumis au {law} ; les tribunaux de {venue} sont seuls compétents.",
        ],
    ),
    "es": (
        "CONTRATO MARCO DE SERVICIOS entre {company} («el Cliente») y {company2} («el Proveedor») – extracto",
        [
            "Cláusula 1. Duración. El contrato entra en vigor a la firma y tendrá una duración de {months} meses, prorrogándose tácitamente por periodos de 12 meses salvo preaviso escrito de al menos {notice} días antes del vencimiento.",
            "Cláusula 2. Precio. Las facturas se abonarán en un plazo de {days} días desde su fecha. El Proveedor podrá actualizar los precios una vez al año hasta un máximo del {pct}% con un preaviso de 60 días.",
            "Cláusula 3. Responsabilidad. Salvo dolo o culpa grave, la responsabilidad total de cada parte queda limitada a {cap}. Ninguna parte responderá del lucro cesante ni de daños indirectos.",
            "Cláusula 4. Protección de datos. El Proveedor tratará los datos personales del Cliente en la medida necesaria para prestar los servicios y podrá subcontratar libremente a otros encargados. Aplicará medidas de seguridad razonables y comunicará cualquier brecha de seguridad sin dilación indebida.",
            "Cláusula 5. Confidencialidad. Las partes mantendrán la confidencialidad de la información de la otra parte durante la vigencia del contrato y {years} años después.",
            "Cláusula 6. Resolución. Cualquiera de las partes podrá resolver el contrato por incumplimiento grave no subsanado en 30 días desde el requerimiento. El Cliente podrá desistir con un preaviso de {notice} días, abonando las cuotas del periodo en curso.",
            "Cláusula 7. Ley aplicable. El contrato se rige por la {law} y las partes se someten a los juzgados y tribunales de {venue}.",
        ],
    ),
    "zh": (
        "{company}（“甲方”）与{company2}（“乙方”）服务框架协议（节选）",
        [
            "第一条 合同期限。本协议自双方签字之日起生效，有效期{months}个月。期满前{notice}日任何一方未书面提出不续约的，本协议自动续展12个月，以此类推。",
            "第二条 费用。甲方应在发票开具之日起{days}日内支付费用。乙方每年可调价一次，涨幅不超过{pct}%，并应提前60日书面通知。",
            "第三条 责任限制。除违反保密义务或故意行为外，任何一方在本协议项下的累计赔偿责任以{cap}为限。双方均不对间接损失（包括利润损失）承担责任。",
            "第四条 数据保护。乙方可在提供服务所需范围内处理甲方的个人信息，并可自行决定委托第三方处理。乙方应采取合理的安全措施，发生个人信息泄露时应及时通知甲方。",
            "第五条 保密。双方应在协议有效期内及终止后{years}年内对另一方的保密信息予以保密。",
            "第六条 解除。一方严重违约且在收到书面通知后30日内未纠正的，另一方可解除本协议。甲方可提前{notice}日书面通知解除本协议，但仍应支付当期剩余费用。",
            "第七条 适用法律。本协议适用{law}法律，争议提交{venue}解决。",
        ],
    ),
    "ja": (
        "業務委託基本契約書（抜粋）　{company}（以下「甲」）と{company2}（以下「乙」）",
        [
            "第1条（契約期間）本契約の有効期間は締結日から{months}か月とする。期間満了の{notice}日前までにいずれの当事者からも書面による別段の申出がないときは、同一条件でさらに12か月更新され、以後も同様とする。",
            "第2条（委託料）甲は、請求書発行日から{days}日以内に委託料を支払う。乙は年1回に限り、60日前までに書面で通知することにより、委託料を{pct}%を上限として改定できる。",
            "第3条（損害賠償の制限）故意または重過失による場合を除き、本契約に関する各当事者の損害賠償責任の総額は{cap}を上限とする。逸失利益その他の間接損害については責任を負わない。",
            "第4条（個人情報の取扱い）乙は、業務の遂行に必要な範囲で甲の個人情報を取り扱うことができ、自らの判断で再委託先を選定できる。乙は合理的な安全管理措置を講じ、漏えい等が発生した場合は速やかに甲に報告する。",
            "第5条（秘密保持）各当事者は、本契約期間中および終了後{years}年間、相手方の秘密情報を保持する。",
            "第6条（解除）当事者の一方が重大な契約違反をし、書面による催告後30日以内に是正しないときは、相手方は本契約を解除できる。甲は{notice}日前の書面通知により本契約を解約できるが、当期の残存期間の委託料を支払う。",
            "第7条（準拠法・管轄）本契約は{law}法に準拠し、{venue}を第一審の専属的合意管轄裁判所とする。",
        ],
    ),
}
_LAWS = {  # (governing law, the court that hears disputes), as each legal culture writes them
    "en": [
        ("England and Wales", "London"),
        ("the State of New York", "New York County"),
        ("Delaware", "Wilmington, Delaware"),
        ("Ireland", "Dublin"),
    ],
    "de": [
        ("deutsches Recht", "München"),
        ("österreichisches Recht", "Wien"),
        ("Schweizer Recht", "Zürich"),
        ("deutsches Recht", "Hamburg"),
    ],
    "fr": [
        ("droit français", "Paris"),
        ("droit belge", "Bruxelles"),
        ("droit suisse", "Genève"),
        ("droit français", "Lyon"),
    ],
    "es": [
        ("legislación española", "Madrid"),
        ("legislación mexicana", "Ciudad de México"),
        ("legislación colombiana", "Bogotá"),
        ("legislación española", "Barcelona"),
    ],
    "zh": [
        ("中华人民共和国", "甲方所在地有管辖权的人民法院诉讼"),
        ("中华人民共和国", "上海国际经济贸易仲裁委员会仲裁"),
        ("香港特别行政区", "香港特别行政区法院诉讼"),
    ],
    "ja": [("日本", "東京地方裁判所"), ("日本", "大阪地方裁判所"), ("シンガポール", "シンガポールの裁判所")],
}


def _terms(rng: random.Random, lang: str) -> dict[str, str]:
    company, company2 = rng.sample(banks.COMPANIES[lang], 2)
    law, venue = rng.choice(_LAWS[lang])
    return {
        "company": company,
        "company2": company2,
        "months": str(rng.choice((12, 24, 36))),
        "notice": str(rng.choice((30, 60, 90))),
        "days": str(rng.choice((30, 45, 60))),
        "pct": str(rng.choice((3, 5, 7))),
        "cap": banks.money(rng.choice((50, 100, 250, 500)) * 1000, lang),
        "years": str(rng.choice((2, 3, 5))),
        "law": law,
        "venue": venue,
    }


def _render(lang: str, terms: dict[str, str]) -> str:
    title, clauses = _CLAUSES[lang]
    return "\n\n".join([title.format(**terms), *(c.format(**terms) for c in clauses)])


def contract(rng: random.Random, lang: str) -> str:
    return _render(lang, _terms(rng, lang))


def two_contracts(rng: random.Random, lang: str) -> str:
    """The same agreement as signed and as redlined by the other side: several terms differ."""
    signed = _terms(rng, lang)
    other = _terms(rng, lang)
    changed = [k for k in other if k not in ("company", "company2", "law", "venue") and rng.random() < 0.6]
    redline = {**signed, **{k: other[k] for k in changed}}
    if rng.random() < 0.5:
        redline["law"], redline["venue"] = other["law"], other["venue"]
    labels = {
        "en": ("VERSION A (signed 2024)", "VERSION B (counterparty redline)"),
        "de": ("FASSUNG A (unterzeichnet 2024)", "FASSUNG B (Änderungsentwurf der Gegenseite)"),
        "fr": ("VERSION A (signée en 2024)", "VERSION B (contre-proposition)"),
        "es": ("VERSIÓN A (firmada en 2024)", "VERSIÓN B (propuesta de la contraparte)"),
        "zh": ("版本A（2024年签署）", "版本B（对方修订稿）"),
        "ja": ("バージョンA（2024年締結）", "バージョンB（相手方修正案）"),
    }[lang]
    return f"{labels[0]}\n\n{_render(lang, signed)}\n\n=====\n\n{labels[1]}\n\n{_render(lang, redline)}"


def data_clause(rng: random.Random, lang: str) -> str:
    """Only the data-protection clause: a weak Art. 28 clause (free sub-processing, vague security)."""
    return _CLAUSES[lang][1][3]


ABBREVIATIONS = ["NDA", "DPA", "SLA", "MSA", "SOW", "LOI", "IP", "GDPR", "SCC", "KYC"]
