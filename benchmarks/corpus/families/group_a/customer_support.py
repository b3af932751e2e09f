# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""customer-support: pick a macro, state the customer's ask, check one SLA (simple); draft a reply
(medium); decide refunds under contract terms, or redesign a support operation (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _ticket_and_contract(rng: random.Random, lang: str, slots: Slots) -> str:
    return mail.ticket(rng, lang, slots) + "\n\n=====\n\n" + biz.contract(rng, lang, slots)


def _ticket_with_history(rng: random.Random, lang: str, slots: Slots) -> str:
    """A ticket as the helpdesk shows it when the customer replied to an earlier email chain."""
    return mail.ticket(rng, lang, slots) + "\n\n> " + mail.email_thread(rng, lang, slots).replace("\n", "\n> ")


TASKS = (
    Task(
        "pick-macro",
        "simple",
        {
            "en": (
                "Which macro fits this ticket: REFUND, PASSWORD_RESET, SHIPPING_STATUS, ESCALATE_OUTAGE, ACCOUNT_CHANGE? Macro name only.",
                "Reply with the right canned response ID (R1 refund, R2 login, R3 account settings, R4 export issue).",
                "Is this urgent? yes/no",
            ),
            "de": (
                "Welcher Textbaustein passt: REFUND, PASSWORD_RESET, SHIPPING_STATUS, ESCALATE_OUTAGE, ACCOUNT_CHANGE? Nur den Namen.",
                "Antworte mit der passenden Vorlagen-ID (R1 Erstattung, R2 Login, R3 Kontoeinstellungen, R4 Exportproblem).",
                "Dringend? ja/nein",
            ),
            "fr": (
                "Quelle macro correspond à ce ticket : REFUND, PASSWORD_RESET, SHIPPING_STATUS, ESCALATE_OUTAGE, ACCOUNT_CHANGE ? Le nom seulement.",
                "Donne l'identifiant de la réponse type (R1 remboursement, R2 connexion, R3 paramètres du compte, R4 export).",
                "Urgent ? oui/non",
            ),
            "es": (
                "¿Qué macro encaja con este ticket: REFUND, PASSWORD_RESET, SHIPPING_STATUS, ESCALATE_OUTAGE, ACCOUNT_CHANGE? Solo el nombre.",
                "Responde con el ID de la respuesta predefinida (R1 reembolso, R2 acceso, R3 ajustes de cuenta, R4 exportación).",
                "¿Es urgente? sí/no",
            ),
            "zh": (
                "这个工单该用哪个快捷回复：REFUND、PASSWORD_RESET、SHIPPING_STATUS、ESCALATE_OUTAGE、ACCOUNT_CHANGE？只写名称。",
                "回复对应的模板编号（R1退款、R2登录、R3账户设置、R4导出问题）。",
                "紧急吗？是/否",
            ),
            "ja": (
                "このチケットに合うマクロはどれですか：REFUND、PASSWORD_RESET、SHIPPING_STATUS、ESCALATE_OUTAGE、ACCOUNT_CHANGE。名前だけ。",
                "該当する定型文IDを答えてください（R1返金、R2ログイン、R3アカウント設定、R4エクスポート不具合）。",
                "緊急ですか？はい／いいえ",
            ),
        },
        mail.ticket,
        rows=4,
    ),
    Task(
        "customer-ask",
        "simple",
        {
            "en": (
                "What exactly is the customer asking us to do? One sentence.",
                "Which product and which account is this about?",
            ),
            "de": (
                "Was genau möchte der Kunde von uns? Ein Satz.",
                "Um welches Produkt und welches Kundenkonto geht es?",
            ),
            "fr": (
                "Que nous demande exactement le client ? Une phrase.",
                "De quel produit et de quel compte s'agit-il ?",
            ),
            "es": ("¿Qué nos pide exactamente el cliente? Una frase.", "¿De qué producto y de qué cuenta se trata?"),
            "zh": ("客户到底希望我们做什么？一句话。", "这是关于哪个产品、哪个客户账户的？"),
            "ja": (
                "お客様は具体的に何を求めていますか。一文で。",
                "どの製品・どのアカウントに関する問い合わせですか。",
            ),
        },
        _ticket_with_history,
        rows=4,
    ),
    Task(
        "sla-check",
        "simple",
        {
            "en": (
                "Ticket {ticket} opened at 09:10, first response at 13:25. Our first-response SLA is 4 hours. Breached? yes/no",
                "A customer paid {amount} on the 3rd and again on the 5th. How much do we refund?",
                "Our SLA says 99.9% monthly uptime. How many minutes of downtime is that in a 30-day month?",
            ),
            "de": (
                "Ticket {ticket} wurde um 09:10 eröffnet, erste Antwort um 13:25. Unser SLA für die Erstreaktion sind 4 Stunden. Verletzt? ja/nein",
                "Ein Kunde hat am 3. und am 5. jeweils {amount} bezahlt. Wie viel erstatten wir?",
                "Unser SLA garantiert 99,9 % Verfügbarkeit pro Monat. Wie viele Minuten Ausfall sind das bei 30 Tagen?",
            ),
            "fr": (
                "Ticket {ticket} ouvert à 09h10, première réponse à 13h25. Notre SLA de première réponse est de 4 heures. Dépassé ? oui/non",
                "Un client a payé {amount} le 3 puis à nouveau le 5. Combien remboursons-nous ?",
                "Notre SLA garantit 99,9 % de disponibilité mensuelle. Combien de minutes d'indisponibilité sur 30 jours ?",
            ),
            "es": (
                "Ticket {ticket} abierto a las 09:10, primera respuesta a las 13:25. Nuestro SLA de primera respuesta es de 4 horas. ¿Incumplido? sí/no",
                "Un cliente pagó {amount} el día 3 y otra vez el 5. ¿Cuánto le devolvemos?",
                "Nuestro SLA garantiza un 99,9 % de disponibilidad mensual. ¿Cuántos minutos de caída son en un mes de 30 días?",
            ),
            "zh": (
                "工单{ticket}在09:10创建，首次回复在13:25。我们的首次响应SLA是4小时。超时了吗？是/否",
                "客户3号和5号各付了{amount}，我们应退多少？",
                "SLA承诺每月可用率99.9%，30天的月份最多允许停机多少分钟？",
            ),
            "ja": (
                "チケット{ticket}は9:10に起票、初回返信は13:25でした。初回応答SLAは4時間です。違反していますか？はい／いいえ",
                "お客様が3日と5日にそれぞれ{amount}を支払いました。返金額はいくらですか。",
                "SLAは月間稼働率99.9%です。30日の月で許容される停止時間は何分ですか。",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "draft-reply",
        "medium",
        {
            "en": (
                "Draft a reply to this customer: apologise, explain what happens next, and give a realistic timeframe.",
                "Write a short, friendly answer to this ticket that we can send as-is.",
            ),
            "de": (
                "Entwirf eine Antwort an den Kunden: entschuldigen, nächste Schritte erklären, realistischen Zeitrahmen nennen.",
                "Schreib eine kurze, freundliche Antwort auf das Ticket, die wir direkt so senden können.",
            ),
            "fr": (
                "Rédige une réponse à ce client : excuses, prochaines étapes et délai réaliste.",
                "Écris une réponse courte et aimable à ce ticket, envoyable telle quelle.",
            ),
            "es": (
                "Redacta una respuesta a este cliente: discúlpate, explica los siguientes pasos y da un plazo realista.",
                "Escribe una respuesta breve y amable a este ticket que podamos enviar tal cual.",
            ),
            "zh": (
                "给这位客户写一封回复：致歉、说明接下来的处理步骤，并给出合理的时间预期。",
                "写一段简短友好的回复，可以直接发给客户。",
            ),
            "ja": (
                "このお客様への返信を作成してください。お詫び、今後の対応、現実的な目安時期を含めて。",
                "このチケットにそのまま送れる、短く丁寧な返信を書いてください。",
            ),
        },
        mail.ticket,
        rows=5,
    ),
    Task(
        "refund-decision",
        "complex",
        {
            "en": (
                "Given the ticket and our contract with this customer, decide whether they're entitled to a refund or service credit, compute the amount step by step, draft the customer reply, and write the internal note for finance.",
                "This customer is threatening to churn. Using the contract terms below, work out our obligations, the cost of each option (credit, refund, discount on renewal), recommend one, and script the call for the account manager.",
            ),
            "de": (
                "Entscheide anhand des Tickets und unseres Vertrags mit dem Kunden, ob ihm eine Erstattung oder Gutschrift zusteht, berechne den Betrag Schritt für Schritt, entwirf die Kundenantwort und die interne Notiz an die Buchhaltung.",
                "Der Kunde droht mit Kündigung. Ermittle anhand der Vertragsbedingungen unsere Pflichten, die Kosten jeder Option (Gutschrift, Erstattung, Rabatt bei Verlängerung), empfiehl eine und schreib den Gesprächsleitfaden für den Account Manager.",
            ),
            "fr": (
                "À partir du ticket et de notre contrat avec ce client, décide s'il a droit à un remboursement ou à un avoir, calcule le montant étape par étape, rédige la réponse au client et la note interne pour la comptabilité.",
                "Ce client menace de résilier. D'après les conditions du contrat ci-dessous, établis nos obligations, le coût de chaque option (avoir, remboursement, remise au renouvellement), recommandes-en une et écris le script d'appel du chargé de compte.",
            ),
            "es": (
                "Con el ticket y nuestro contrato con este cliente, decide si tiene derecho a reembolso o abono, calcula el importe paso a paso, redacta la respuesta al cliente y la nota interna para finanzas.",
                "Este cliente amenaza con irse. Con las condiciones del contrato, determina nuestras obligaciones, el coste de cada opción (abono, reembolso, descuento en la renovación), recomienda una y escribe el guion de la llamada para el gestor de cuenta.",
            ),
            "zh": (
                "根据这张工单和我们与该客户的合同，判断客户是否有权获得退款或服务抵扣，逐步计算金额，起草给客户的回复以及给财务的内部说明。",
                "这个客户扬言要解约。请依据下面的合同条款梳理我方义务、每种方案（抵扣、退款、续约折扣）的成本，推荐一种，并为客户经理写好通话话术。",
            ),
            "ja": (
                "チケットと当該顧客との契約書を踏まえ、返金またはサービスクレジットの対象かを判断し、金額を段階的に計算し、顧客への返信と経理向けの社内メモを作成してください。",
                "この顧客が解約を示唆しています。以下の契約条件から当社の義務、各選択肢（クレジット・返金・更新時値引き）のコストを整理し、1案を推奨し、営業担当の通話スクリプトを作成してください。",
            ),
        },
        _ticket_and_contract,
        rows=4,
    ),
    Task(
        "support-operations",
        "complex",
        {
            "en": (
                "Our support backlog grew from 300 to 1,200 tickets in six weeks with the same 14 agents. Diagnose the likely causes, propose a 30-60-90 day plan (staffing, automation, SLA changes) and the metrics to track.",
                "Write an escalation playbook for P1 outages affecting enterprise customers in three regions: roles, communication cadence, service credits under our contracts, and the post-mortem process.",
                "Should {company} move tier-1 support to a chatbot? Model the cost for {headcount}k contacts a month, the CSAT risk, what must stay human, and a phased rollout with kill criteria.",
            ),
            "de": (
                "Unser Support-Rückstau ist in sechs Wochen von 300 auf 1.200 Tickets gewachsen, bei gleichbleibend 14 Agents. Analysiere die wahrscheinlichen Ursachen, schlag einen 30-60-90-Tage-Plan vor (Personal, Automatisierung, SLA-Anpassungen) und die Kennzahlen, die wir verfolgen sollten.",
                "Schreib ein Eskalationshandbuch für P1-Störungen bei Großkunden in drei Regionen: Rollen, Kommunikationstakt, Gutschriften laut Verträgen und Post-Mortem-Prozess.",
                "Sollte {company} den First-Level-Support auf einen Chatbot umstellen? Rechne die Kosten für {headcount}.000 Kontakte im Monat durch, bewerte das Risiko für die Zufriedenheit, was menschlich bleiben muss, und plane eine stufenweise Einführung mit Abbruchkriterien.",
            ),
            "fr": (
                "Notre backlog support est passé de 300 à 1 200 tickets en six semaines, avec toujours 14 agents. Diagnostique les causes probables, propose un plan à 30-60-90 jours (effectifs, automatisation, SLA) et les indicateurs à suivre.",
                "Rédige un playbook d'escalade pour les pannes P1 touchant des grands comptes dans trois régions : rôles, rythme de communication, avoirs prévus par nos contrats et processus de post-mortem.",
                "{company} doit-elle confier le support niveau 1 à un chatbot ? Modélise le coût pour {headcount} 000 contacts par mois, le risque sur la satisfaction, ce qui doit rester humain et un déploiement par étapes avec critères d'arrêt.",
            ),
            "es": (
                "Nuestra cola de soporte pasó de 300 a 1.200 tickets en seis semanas con los mismos 14 agentes. Diagnostica las causas probables, propón un plan a 30-60-90 días (plantilla, automatización, cambios de SLA) y las métricas a seguir.",
                "Escribe un protocolo de escalado para caídas P1 que afecten a grandes clientes en tres regiones: roles, frecuencia de comunicación, abonos según nuestros contratos y proceso post mortem.",
                "¿Debería {company} pasar el soporte de primer nivel a un chatbot? Modela el coste para {headcount} mil contactos al mes, el riesgo en satisfacción, qué debe seguir siendo humano y un despliegue por fases con criterios de parada.",
            ),
            "zh": (
                "在客服人数一直是14人的情况下，我们的积压工单六周内从300张涨到1200张。请分析可能原因，提出30-60-90天计划（人力、自动化、SLA调整）以及需要跟踪的指标。",
                "为影响三个区域大客户的P1级故障编写升级处理手册：角色分工、沟通频率、按合同的服务抵扣，以及复盘流程。",
                "{company}要不要把一线客服换成聊天机器人？请按每月{headcount}千次咨询测算成本，评估满意度风险、哪些环节必须保留人工，并给出带止损条件的分阶段上线方案。",
            ),
            "ja": (
                "サポート担当は14名のままなのに、未対応チケットが6週間で300件から1,200件に増えました。考えられる原因を分析し、30-60-90日計画（人員、自動化、SLAの見直し）と追うべき指標を提案してください。",
                "3地域の大口顧客に影響するP1障害のエスカレーション手順書を作成してください。役割分担、連絡の頻度、契約に基づくサービスクレジット、事後レビューの進め方を含めて。",
                "{company}は一次サポートをチャットボットに移行すべきでしょうか。月{headcount}千件の問い合わせでコストを試算し、満足度へのリスク、人が対応すべき範囲、中止基準付きの段階的導入計画を示してください。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("customer-support", TASKS, rng)


FAMILY = Family(
    "customer-support",
    "Pick a macro, state the customer's ask, check an SLA; draft replies; decide refunds under contract terms "
    "and redesign support operations",
    generate,
)
