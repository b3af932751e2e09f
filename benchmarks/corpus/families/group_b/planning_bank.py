# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: RUF001
"""Pasted checklists and date spans for the planning family."""

from __future__ import annotations

import datetime
import random

from benchmarks.corpus.families.group_b import banks

_CHECKLISTS = {
    "en": (
        "Supplier onboarding checklist – {company}",
        "owner",
        "est.",
        "d",
        [
            "Receive signed NDA and supplier questionnaire",
            "Run sanctions and credit check",
            "Collect bank details on company letterhead and verify by call-back",
            "Security review of data access (if the supplier handles customer data)",
            "Negotiate payment terms and volume discounts",
            "Legal review of the master services agreement",
            "Create supplier record in the ERP and set the approval workflow",
            "Issue first purchase order",
            "Schedule 90-day performance review",
        ],
    ),
    "de": (
        "Checkliste Lieferanten-Onboarding – {company}",
        "Verantwortlich",
        "Aufwand",
        "T",
        [
            "Unterschriebene NDA und Lieferantenfragebogen einholen",
            "Sanktionslisten- und Bonitätsprüfung durchführen",
            "Bankverbindung auf Firmenbriefbogen anfordern und per Rückruf verifizieren",
            "Sicherheitsprüfung des Datenzugriffs (falls Kundendaten verarbeitet werden)",
            "Zahlungsziele und Mengenrabatte verhandeln",
            "Rahmenvertrag durch die Rechtsabteilung prüfen lassen",
            "Kreditor im ERP anlegen und Freigabeworkflow einrichten",
            "Erste Bestellung auslösen",
            "Leistungsbewertung nach 90 Tagen terminieren",
        ],
    ),
    "fr": (
        "Check-list de référencement fournisseur – {company}",
        "responsable",
        "durée",
        "j",
        [
            "Recevoir l'accord de confidentialité signé et le questionnaire fournisseur",
            "Contrôler les listes de sanctions et la solvabilité",
            "Obtenir le RIB sur papier à en-tête et le vérifier par rappel téléphonique",
            "Revue sécurité des accès aux données (si le fournisseur traite des données clients)",
            "Négocier les délais de paiement et les remises",
            "Revue juridique du contrat-cadre",
            "Créer la fiche fournisseur dans l'ERP et le circuit de validation",
            "Émettre la première commande",
            "Planifier la revue de performance à 90 jours",
        ],
    ),
    "es": (
        "Checklist de alta de proveedor – {company}",
        "responsable",
        "duración",
        "d",
        [
            "Recibir el NDA firmado y el cuestionario de proveedor",
            "Comprobar listas de sanciones y solvencia",
            "Pedir el certificado de titularidad bancaria y verificarlo por teléfono",
            "Revisión de seguridad del acceso a datos (si trata datos de clientes)",
            "Negociar plazos de pago y descuentos por volumen",
            "Revisión jurídica del contrato marco",
            "Dar de alta al proveedor en el ERP y configurar el flujo de aprobación",
            "Emitir el primer pedido",
            "Programar la revisión de desempeño a 90 días",
        ],
    ),
    "zh": (
        "供应商准入清单——{company}",
        "负责部门",
        "预计",
        "天",
        [
            "收回签署的保密协议和供应商调查表",
            "进行制裁名单和资信核查",
            "索取加盖公章的银行账户信息并电话回访核实",
            "数据访问安全评估（如涉及客户数据）",
            "谈判付款账期和批量折扣",
            "法务审核框架服务协议",
            "在ERP中创建供应商档案并设置审批流",
            "下达首张采购订单",
            "安排90天绩效评估",
        ],
    ),
    "ja": (
        "新規取引先登録チェックリスト：{company}",
        "担当",
        "所要",
        "日",
        [
            "署名済みNDAと取引先調査票を受領",
            "制裁リスト照合と与信調査を実施",
            "会社名義の口座情報を入手し電話で照合",
            "データアクセスのセキュリティ審査（顧客データを扱う場合）",
            "支払条件と数量割引を交渉",
            "基本契約書の法務レビュー",
            "ERPに取引先マスタを登録し承認フローを設定",
            "初回発注書を発行",
            "90日後の評価面談を設定",
        ],
    ),
}


# Who owns each step, as an index into banks.DEPARTMENTS (finance, support, procurement, HR, sales, legal, IT).
_STEP_OWNERS = (2, 0, 0, 6, 2, 5, 0, 2, 2)


def checklist(rng: random.Random, lang: str) -> str:
    """A numbered nine-step process with an owner and an effort estimate per step."""
    title, owner, effort, unit, steps = _CHECKLISTS[lang]
    lines = [title.format(company=rng.choice(banks.COMPANIES[lang])), ""]
    for i, (step, dept) in enumerate(zip(steps, _STEP_OWNERS, strict=True), 1):
        lines.append(f"{i}. {step} | {owner}: {banks.DEPARTMENTS[lang][dept]} | {effort}: {rng.randint(1, 5)}{unit}")
    return "\n".join(lines)


_SPANS = {
    "en": "between {a} and {b}",
    "de": "zwischen dem {a} und dem {b}",
    "fr": "entre le {a} et le {b}",
    "es": "entre el {a} y el {b}",
    "zh": "从{a}到{b}之间",
    "ja": "{a}から{b}までの間",
}


def date_span(rng: random.Random, lang: str) -> str:
    start = banks.random_day(rng)
    end = start + datetime.timedelta(days=rng.randint(9, 60))
    return _SPANS[lang].format(a=banks.format_date(start, lang), b=banks.format_date(end, lang))


MILESTONES = {
    "en": [
        "go-live, kickoff, UAT, design sign-off, build",
        "contract signature, vendor shortlist, RFP, pilot, rollout",
        "launch, beta, alpha, market research, pricing decision",
    ],
    "de": [
        "Go-live, Kickoff, Abnahmetest, Design-Freigabe, Umsetzung",
        "Vertragsunterschrift, Shortlist, Ausschreibung, Pilot, Rollout",
        "Markteinführung, Beta, Alpha, Marktforschung, Preisentscheidung",
    ],
    "fr": [
        "mise en production, lancement, recette, validation de la conception, développement",
        "signature du contrat, liste restreinte, appel d'offres, pilote, déploiement",
        "lancement commercial, bêta, alpha, étude de marché, décision de prix",
    ],
    "es": [
        "puesta en producción, arranque, pruebas de aceptación, aprobación del diseño, desarrollo",
        "firma del contrato, lista corta, licitación, piloto, despliegue",
        "lanzamiento, beta, alfa, estudio de mercado, decisión de precio",
    ],
    "zh": [
        "上线、启动会、用户验收测试、设计评审通过、开发",
        "签合同、供应商短名单、招标、试点、全面推广",
        "正式发布、公测、内测、市场调研、定价决策",
    ],
    "ja": [
        "本番稼働、キックオフ、受入テスト、設計承認、開発",
        "契約締結、候補ベンダー選定、RFP、パイロット、全社展開",
        "発売、ベータ版、アルファ版、市場調査、価格決定",
    ],
}
PROJECTS = {
    "en": [
        "moving our 120-person office to a new building",
        "rolling out a new CRM to 300 sales reps",
        "launching our app in two new countries",
        "replacing the payroll provider",
    ],
    "de": [
        "den Umzug unseres Büros mit 120 Mitarbeitenden",
        "die Einführung eines neuen CRM für 300 Vertriebler",
        "den Start unserer App in zwei neuen Ländern",
        "den Wechsel des Lohnabrechnungsanbieters",
    ],
    "fr": [
        "le déménagement de nos 120 collaborateurs dans un nouveau bâtiment",
        "le déploiement d'un nouveau CRM auprès de 300 commerciaux",
        "le lancement de notre appli dans deux nouveaux pays",
        "le changement de prestataire de paie",
    ],
    "es": [
        "la mudanza de nuestra oficina de 120 personas",
        "la implantación de un CRM nuevo para 300 comerciales",
        "el lanzamiento de nuestra app en dos países nuevos",
        "el cambio de proveedor de nóminas",
    ],
    "zh": ["公司120人办公室整体搬迁", "为300名销售上线新的CRM系统", "在两个新国家上线我们的App", "更换薪酬外包服务商"],
    "ja": [
        "社員120名のオフィス移転",
        "営業300名への新CRM導入",
        "2か国での新規アプリローンチ",
        "給与計算委託先の切り替え",
    ],
}
