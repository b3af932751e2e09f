# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""Pasted CVs, internal policies and short business reports, native in each language."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_a.banks import Slots

_CV: dict[str, str] = {
    "en": "{person} — {role}\n{city} · {mail} · linkedin.com/in/{handle}\n\nEXPERIENCE\n{company2}, {role} ({start}–present)\n- Led migration of the billing platform to event-driven services; cut invoice latency from 6 h to 15 min.\n- Mentored 4 engineers; ran the on-call rotation for 30 services.\n{company}, Software Engineer ({start2}–{start})\n- Built internal reporting APIs used by 300 analysts.\n- Reduced cloud spend by 18% through autoscaling and reserved instances.\n\nEDUCATION\nBSc Computer Science, University of Leeds ({grad})\n\nSKILLS\nPython, Go, PostgreSQL, Kafka, AWS, Terraform. Languages: English (native), Spanish (B2).\n\nNotice period: 3 months. Salary expectation: {salary} per year.",
    "de": "{person} — {role}\n{city} · {mail} · xing.com/profile/{handle}\n\nBERUFSERFAHRUNG\n{company2}, {role} ({start}–heute)\n- Migration der Abrechnungsplattform auf ereignisgesteuerte Services geleitet; Rechnungslaufzeit von 6 h auf 15 min gesenkt.\n- 4 Entwickler betreut; Rufbereitschaft für 30 Services organisiert.\n{company}, Softwareentwicklerin ({start2}–{start})\n- Interne Reporting-APIs für 300 Analysten entwickelt.\n- Cloud-Kosten durch Autoscaling und reservierte Instanzen um 18 % gesenkt.\n\nAUSBILDUNG\nM.Sc. Informatik, TU München ({grad})\n\nKENNTNISSE\nPython, Go, PostgreSQL, Kafka, AWS, Terraform. Sprachen: Deutsch (Muttersprache), Englisch (C1).\n\nKündigungsfrist: 3 Monate zum Quartalsende. Gehaltsvorstellung: {salary} brutto jährlich.",
    "fr": "{person} — {role}\n{city} · {mail} · linkedin.com/in/{handle}\n\nEXPÉRIENCE\n{company2}, {role} ({start}–aujourd'hui)\n- Pilotage de la migration de la plateforme de facturation vers des services événementiels ; délai de facturation réduit de 6 h à 15 min.\n- Encadrement de 4 ingénieurs ; organisation des astreintes pour 30 services.\n{company}, Ingénieure logiciel ({start2}–{start})\n- Développement d'API de reporting utilisées par 300 analystes.\n- Baisse de 18 % des coûts cloud grâce à l'autoscaling.\n\nFORMATION\nDiplôme d'ingénieur, INSA Lyon ({grad})\n\nCOMPÉTENCES\nPython, Go, PostgreSQL, Kafka, AWS, Terraform. Langues : français (natif), anglais (C1).\n\nPréavis : 3 mois. Prétentions salariales : {salary} brut annuel.",
    "es": "{person} — {role}\n{city} · {mail} · linkedin.com/in/{handle}\n\nEXPERIENCIA\n{company2}, {role} ({start}–actualidad)\n- Lideré la migración de la plataforma de facturación a servicios orientados a eventos; la emisión de facturas pasó de 6 h a 15 min.\n- Mentoría de 4 ingenieros; coordinación de guardias para 30 servicios.\n{company}, Ingeniera de software ({start2}–{start})\n- Desarrollo de APIs internas de informes usadas por 300 analistas.\n- Reducción del 18 % del gasto en la nube con autoescalado.\n\nFORMACIÓN\nGrado en Ingeniería Informática, Universidad Politécnica de Valencia ({grad})\n\nHABILIDADES\nPython, Go, PostgreSQL, Kafka, AWS, Terraform. Idiomas: español (nativo), inglés (C1).\n\nPreaviso: 15 días. Expectativa salarial: {salary} brutos anuales.",
    "zh": "{person} — {role}\n{city} · {mail} · 手机 139 **** 2086\n\n工作经历\n{company2}，{role}（{start}年至今）\n- 主导计费平台向事件驱动架构迁移，开票耗时从6小时缩短到15分钟。\n- 带教4名工程师，负责30个服务的值班排班。\n{company}，软件工程师（{start2}年–{start}年）\n- 开发内部报表API，供300名分析师使用。\n- 通过弹性伸缩和预留实例，云成本降低18%。\n\n教育背景\n浙江大学 计算机科学与技术 本科（{grad}年毕业）\n\n技能\nPython、Go、PostgreSQL、Kafka、AWS、Terraform；英语六级。\n\n到岗时间：离职交接约1个月。期望年薪：{salary}。",
    "ja": "{person}　職務経歴書（{role}）\n{city}在住 · {mail}\n\n職務経歴\n{company2}　{role}（{start}年〜現在）\n・請求基盤のイベント駆動型アーキテクチャへの移行を主導し、請求処理時間を6時間から15分に短縮\n・エンジニア4名の育成、30サービスのオンコール体制を運営\n{company}　ソフトウェアエンジニア（{start2}年〜{start}年）\n・分析担当300名が利用する社内レポートAPIを開発\n・オートスケーリング導入によりクラウド費用を18%削減\n\n学歴\n東北大学 工学部 情報工学科 卒業（{grad}年）\n\nスキル\nPython、Go、PostgreSQL、Kafka、AWS、Terraform／TOEIC 860点\n\n入社可能時期：内定後2か月。希望年収：{salary}",
}

_POLICY: dict[str, tuple[str, ...]] = {
    "en": (
        "{company} — Travel and Expense Policy (effective {date})",
        "1. Scope. This policy applies to all employees and contractors travelling on company business.",
        "2. Approval. Trips must be approved in advance by the employee's manager; international trips also need approval from the department head.",
        "3. Flights. Economy class for flights under 6 hours; premium economy is allowed above 6 hours. Business class requires CFO approval.",
        "4. Hotels. Up to $220 per night in major cities and $160 elsewhere, including taxes.",
        "5. Meals. A daily allowance of $75 applies; alcohol is not reimbursed.",
        "6. Claims. Expenses must be submitted within 30 days with itemised receipts. Claims submitted after 90 days will not be paid.",
        "7. Remote work. Employees may work remotely up to 3 days per week with manager approval; working from abroad is limited to 20 days per year.",
    ),
    "de": (
        "{company} — Reisekostenrichtlinie (gültig ab {date})",
        "1. Geltungsbereich. Die Richtlinie gilt für alle Mitarbeitenden und freien Mitarbeitenden auf Dienstreisen.",
        "2. Genehmigung. Dienstreisen sind vorab von der Führungskraft zu genehmigen; Auslandsreisen zusätzlich von der Bereichsleitung.",
        "3. Flüge. Economy bei Flügen unter 6 Stunden, darüber Premium Economy. Business Class nur mit Zustimmung des CFO.",
        "4. Hotels. Bis 180 € pro Nacht in Großstädten, sonst 130 €, jeweils inklusive Steuern.",
        "5. Verpflegung. Es gelten die steuerlichen Verpflegungspauschalen; Alkohol wird nicht erstattet.",
        "6. Abrechnung. Reisekosten sind innerhalb von 30 Tagen mit Einzelbelegen einzureichen. Nach 90 Tagen eingereichte Abrechnungen werden nicht erstattet.",
        "7. Mobiles Arbeiten. Bis zu 3 Tage pro Woche nach Absprache mit der Führungskraft; Arbeiten aus dem Ausland höchstens 20 Tage pro Jahr.",
    ),
    "fr": (
        "{company} — Politique voyages et notes de frais (en vigueur au {date})",
        "1. Champ d'application. La politique s'applique à tous les salariés et prestataires en déplacement professionnel.",
        "2. Validation. Tout déplacement doit être validé au préalable par le manager ; les déplacements à l'étranger aussi par le directeur de département.",
        "3. Vols. Classe économique pour les vols de moins de 6 heures ; premium economy au-delà. La classe affaires nécessite l'accord du DAF.",
        "4. Hôtels. Jusqu'à 170 € par nuit à Paris et dans les grandes villes, 120 € ailleurs, taxes comprises.",
        "5. Repas. Plafond de 25 € par repas ; l'alcool n'est pas remboursé.",
        "6. Remboursement. Les notes de frais doivent être déposées sous 30 jours avec justificatifs. Au-delà de 90 jours, elles ne sont plus remboursées.",
        "7. Télétravail. Jusqu'à 3 jours par semaine avec l'accord du manager ; le télétravail depuis l'étranger est limité à 20 jours par an.",
    ),
    "es": (
        "{company} — Política de viajes y gastos (vigente desde el {date})",
        "1. Ámbito. Esta política se aplica a todos los empleados y colaboradores que viajen por motivos de trabajo.",
        "2. Aprobación. Los viajes deben aprobarse previamente por el responsable directo; los internacionales, también por la dirección del área.",
        "3. Vuelos. Clase turista en vuelos de menos de 6 horas; turista superior si superan las 6 horas. La clase business requiere aprobación del director financiero.",
        "4. Hoteles. Hasta 150 € por noche en Madrid y Barcelona y 110 € en el resto, impuestos incluidos.",
        "5. Dietas. 53,34 € diarios en territorio nacional; no se reembolsa el alcohol.",
        "6. Liquidación. Los gastos se presentarán en un plazo de 30 días con tiques detallados. Las solicitudes con más de 90 días no se abonarán.",
        "7. Teletrabajo. Hasta 3 días por semana con la aprobación del responsable; desde el extranjero, un máximo de 20 días al año.",
    ),
    "zh": (
        "{company} 差旅及费用报销制度（自{date}起施行）",
        "一、适用范围：本制度适用于因公出差的全体员工及外包人员。",
        "二、审批：出差须事先经直属上级审批；出境出差还须部门负责人审批。",
        "三、机票：飞行时间6小时以内乘坐经济舱，6小时以上可乘坐超级经济舱；公务舱须经财务总监批准。",
        "四、住宿：一线城市每晚不超过600元，其他城市不超过400元（含税）。",
        "五、餐补：每天100元包干，酒水不予报销。",
        "六、报销：费用须在30日内凭明细发票提交；超过90日提交的不予报销。",
        "七、远程办公：经上级同意每周最多远程办公3天；境外远程办公每年累计不超过20天。",
    ),
    "ja": (
        "{company} 出張旅費規程（{date}施行）",
        "第1条（適用範囲）本規程は、業務で出張するすべての従業員および業務委託者に適用する。",
        "第2条（承認）出張は事前に所属長の承認を得ること。海外出張は部門長の承認も要する。",
        "第3条（航空券）飛行時間6時間未満はエコノミークラス、6時間以上はプレミアムエコノミーとする。ビジネスクラスはCFOの承認を要する。",
        "第4条（宿泊）東京・大阪は1泊15,000円、その他の地域は1泊11,000円を上限とする（税込）。",
        "第5条（日当）日当は1日2,500円とし、酒類は精算の対象外とする。",
        "第6条（精算）出張費は帰着後30日以内に領収書を添えて申請する。90日を超えた申請は精算しない。",
        "第7条（在宅勤務）所属長の承認により週3日まで在宅勤務を認める。海外からの勤務は年間20日を上限とする。",
    ),
}

_REPORT: dict[str, str] = {
    "en": "{title} — Q{quarter} {year}\nRevenue: {revenue} ({growth:+d}% vs prior quarter). Gross margin: {margin}%.\nChurn: {churn}% of enterprise accounts. Headcount: {heads}.\nKey driver: {driver}. Main risk: {risk}.\nOutlook: {outlook}",
    "de": "{title} — Q{quarter} {year}\nUmsatz: {revenue} ({growth:+d} % ggü. Vorquartal). Bruttomarge: {margin} %.\nKündigungsquote: {churn} % der Großkunden. Mitarbeitende: {heads}.\nHaupttreiber: {driver}. Hauptrisiko: {risk}.\nAusblick: {outlook}",
    "fr": "{title} — T{quarter} {year}\nChiffre d'affaires : {revenue} ({growth:+d} % vs trimestre précédent). Marge brute : {margin} %.\nAttrition : {churn} % des grands comptes. Effectif : {heads}.\nMoteur principal : {driver}. Risque principal : {risk}.\nPerspectives : {outlook}",
    "es": "{title} — T{quarter} {year}\nIngresos: {revenue} ({growth:+d} % frente al trimestre anterior). Margen bruto: {margin} %.\nBajas: {churn} % de las cuentas grandes. Plantilla: {heads}.\nPrincipal motor: {driver}. Principal riesgo: {risk}.\nPerspectivas: {outlook}",
    "zh": "{title}——{year}年第{quarter}季度\n营业收入：{revenue}（环比{growth:+d}%）。毛利率：{margin}%。\n大客户流失率：{churn}%。员工人数：{heads}。\n主要驱动因素：{driver}。主要风险：{risk}。\n展望：{outlook}",
    "ja": "{title}（{year}年 第{quarter}四半期）\n売上高：{revenue}（前四半期比{growth:+d}%）。粗利率：{margin}%。\n大口顧客の解約率：{churn}%。従業員数：{heads}名。\n主な要因：{driver}。主なリスク：{risk}。\n見通し：{outlook}",
}
_REPORT_VOICES: dict[str, tuple[tuple[str, str, str, str], ...]] = {  # (title, driver, risk, outlook)
    "en": (
        (
            "Finance report",
            "price increase on the Pro plan",
            "currency exposure in the UK",
            "flat revenue next quarter",
        ),
        ("Sales update", "three new enterprise logos", "long procurement cycles", "strong pipeline, +15% expected"),
        (
            "Customer success review",
            "better onboarding",
            "support backlog of 1,200 tickets",
            "churn will rise unless we hire",
        ),
    ),
    "de": (
        (
            "Finanzbericht",
            "Preiserhöhung beim Pro-Abo",
            "Währungsrisiko in Großbritannien",
            "stagnierender Umsatz im nächsten Quartal",
        ),
        ("Vertriebsupdate", "drei neue Großkunden", "lange Einkaufsprozesse", "starke Pipeline, +15 % erwartet"),
        (
            "Customer-Success-Bericht",
            "besseres Onboarding",
            "Rückstau von 1.200 Tickets",
            "Abwanderung steigt ohne Neueinstellungen",
        ),
    ),
    "fr": (
        (
            "Rapport financier",
            "hausse de prix de l'offre Pro",
            "exposition au change au Royaume-Uni",
            "chiffre d'affaires stable au prochain trimestre",
        ),
        (
            "Point commercial",
            "trois nouveaux grands comptes",
            "cycles d'achat longs",
            "pipeline solide, +15 % attendus",
        ),
        (
            "Revue succès client",
            "meilleur onboarding",
            "1 200 tickets en attente",
            "l'attrition augmentera sans recrutements",
        ),
    ),
    "es": (
        (
            "Informe financiero",
            "subida de precio del plan Pro",
            "exposición a la libra",
            "ingresos planos el próximo trimestre",
        ),
        (
            "Actualización comercial",
            "tres nuevos clientes grandes",
            "ciclos de compra largos",
            "cartera sólida, se espera +15 %",
        ),
        (
            "Revisión de éxito del cliente",
            "mejor onboarding",
            "1.200 tickets pendientes",
            "las bajas subirán si no contratamos",
        ),
    ),
    "zh": (
        ("财务报告", "专业版套餐提价", "英国市场汇率风险", "下季度收入持平"),
        ("销售简报", "新签三家大客户", "客户采购周期长", "商机储备充足，预计增长15%"),
        ("客户成功复盘", "新手引导改进", "积压工单1200张", "若不扩招，流失率将上升"),
    ),
    "ja": (
        ("財務報告", "Proプランの値上げ", "英国での為替リスク", "来期の売上は横ばい"),
        ("営業報告", "大口顧客3社の新規獲得", "購買プロセスの長期化", "案件は豊富で15%増を見込む"),
        ("カスタマーサクセス報告", "オンボーディングの改善", "未対応チケット1,200件", "増員しなければ解約率は上昇"),
    ),
}


def cv(rng: random.Random, lang: str, slots: Slots) -> str:
    start = rng.randint(2017, 2022)
    handle = "".join(ch for ch in slots["person"].lower() if ch.isascii() and ch.isalpha()) or "candidate"
    return _CV[lang].format(
        **slots,
        start=start,
        start2=start - rng.randint(2, 5),
        grad=start - rng.randint(6, 9),
        handle=handle,
        mail=f"{handle[:12]}@mail.com",
    )


def policy(rng: random.Random, lang: str, slots: Slots) -> str:
    title, *sections = _POLICY[lang]
    keep = sorted(rng.sample(range(len(sections)), rng.randint(4, len(sections))))
    return "\n\n".join([title, *(sections[i] for i in keep)]).format(**slots)


def reports(rng: random.Random, lang: str, slots: Slots) -> str:
    """Three teams' reports on one quarter whose figures disagree, as a manager pastes them to reconcile."""
    quarter, parts = rng.randint(1, 4), []
    for title, driver, risk, outlook in _REPORT_VOICES[lang]:
        parts.append(
            _REPORT[lang].format(
                title=title,
                quarter=quarter,
                year=slots["year"],
                driver=driver,
                risk=risk,
                outlook=outlook,
                revenue=rng.choice((slots["amount"], slots["amount2"])),
                growth=rng.choice((-4, 2, 6, 11)),
                margin=rng.choice((58, 61, 64)),
                churn=rng.choice((3, 5, 8)),
                heads=rng.choice((212, 218, 230)),
            )
        )
    return "\n\n".join(parts)
