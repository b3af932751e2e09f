# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""classification: one label for a ticket, review or email (simple) up to building a taxonomy with owners
and routing rules, or classifying incidents by root cause (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _any_document(rng: random.Random, lang: str, slots: Slots) -> str:
    kind = rng.choice((biz.contract, biz.invoice, biz.meeting_notes, mail.email_thread))
    return kind(rng, lang, slots)


TASKS = (
    Task(
        "ticket-category",
        "simple",
        {
            "en": (
                "Label this ticket billing, technical or account. One word.",
                "Which queue does this go to: Billing, Tech Support, Account Management? Reply with the queue name only.",
                "Classify: billing / technical / account / other",
            ),
            "de": (
                "Ordne das Ticket einer Kategorie zu: Abrechnung, Technik oder Konto. Nur ein Wort.",
                "In welche Queue gehört das: Billing, Technischer Support, Kundenkonto? Nur den Namen der Queue.",
                "Kategorie? Abrechnung / Technik / Konto / Sonstiges",
            ),
            "fr": (
                "Classe ce ticket : facturation, technique ou compte. Un seul mot.",
                "Dans quelle file va ce ticket : Facturation, Support technique, Gestion de compte ? Réponds uniquement par le nom.",
                "catégorie : facturation / technique / compte / autre",
            ),
            "es": (
                "Etiqueta este ticket como facturación, técnico o cuenta. Una sola palabra.",
                "¿A qué cola va: Facturación, Soporte técnico o Gestión de cuentas? Responde solo con el nombre.",
                "categoría: facturación / técnico / cuenta / otro",
            ),
            "zh": (
                "给这个工单分类：账单、技术、账户，三选一，只回答一个词。",
                "这个工单应该转到哪个队列：计费组、技术支持、账户管理？只写队列名。",
                "分类：账单/技术/账户/其他",
            ),
            "ja": (
                "このチケットを「請求」「技術」「アカウント」のいずれかに分類してください。一語で。",
                "どのキューに振り分けますか：請求担当・技術サポート・アカウント管理。キュー名のみ回答。",
                "分類：請求／技術／アカウント／その他",
            ),
        },
        mail.ticket,
        rows=4,
    ),
    Task(
        "review-sentiment",
        "simple",
        {
            "en": (
                'Is this review positive, negative or neutral? "Delivery to {city} took three weeks and nobody answered my emails."',
                'Sentiment of: "Honestly {product} is the best purchase we made this year, the team loves it" (pos/neg/neutral)',
                'One word, positive or negative: "It works, I guess. Setup was fine, the app is slow."',
            ),
            "de": (
                'Ist diese Bewertung positiv, negativ oder neutral? "Die Lieferung nach {city} hat drei Wochen gedauert, und niemand hat auf meine Mails reagiert."',
                'Stimmung von: "Ehrlich, {product} war unsere beste Anschaffung dieses Jahr, das Team ist begeistert" (pos/neg/neutral)',
                'Ein Wort, positiv oder negativ: "Funktioniert halt. Einrichtung okay, die App ist langsam."',
            ),
            "fr": (
                "Cet avis est-il positif, négatif ou neutre ? « Livraison à {city} en trois semaines et personne n'a répondu à mes mails. »",
                "Sentiment de : « Franchement, {product} est le meilleur achat de l'année, l'équipe adore » (pos/nég/neutre)",
                "Un mot, positif ou négatif : « Ça marche, bon. Installation correcte, l'appli est lente. »",
            ),
            "es": (
                "¿Esta reseña es positiva, negativa o neutra? «El envío a {city} tardó tres semanas y nadie contestó a mis correos.»",
                "Sentimiento de: «Sinceramente, {product} es lo mejor que hemos comprado este año, al equipo le encanta» (pos/neg/neutro)",
                "Una palabra, positivo o negativo: «Funciona, supongo. La instalación bien, la app va lenta.»",
            ),
            "zh": (
                "这条评价是正面、负面还是中性？“寄到{city}花了三个星期，发邮件也没人回。”",
                "判断情感：“说实话{product}是我们今年买得最值的东西，团队都很喜欢”（正面/负面/中性）",
                "只回答正面或负面：“能用吧。安装还行，就是App很慢。”",
            ),
            "ja": (
                "このレビューはポジティブ・ネガティブ・中立のどれですか。「{city}への配送に3週間かかり、メールにも誰も返信してくれなかった。」",
                "感情分析して：「正直、{product}は今年一番いい買い物でした。チーム全員気に入っています」（ポジ／ネガ／中立）",
                "ポジティブかネガティブか一語で：「まあ動きます。設定は普通、アプリは遅いです。」",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "email-intent",
        "simple",
        {
            "en": (
                "Is this email a complaint, a request for information, or a payment issue? Answer with one label.",
                "Tag the intent of this message for our CRM: COMPLAINT, INQUIRY, BILLING_DISPUTE or RENEWAL. Output the tag only.",
            ),
            "de": (
                "Ist diese Mail eine Beschwerde, eine Anfrage oder ein Zahlungsproblem? Antworte mit einem Label.",
                "Tagge die Absicht der Nachricht fürs CRM: COMPLAINT, INQUIRY, BILLING_DISPUTE oder RENEWAL. Nur das Tag.",
            ),
            "fr": (
                "Ce mail est-il une réclamation, une demande d'information ou un problème de paiement ? Réponds par une étiquette.",
                "Attribue l'intention du message pour le CRM : COMPLAINT, INQUIRY, BILLING_DISPUTE ou RENEWAL. Uniquement le tag.",
            ),
            "es": (
                "¿Este correo es una queja, una solicitud de información o un problema de pago? Responde con una etiqueta.",
                "Etiqueta la intención para el CRM: COMPLAINT, INQUIRY, BILLING_DISPUTE o RENEWAL. Solo la etiqueta.",
            ),
            "zh": (
                "这封邮件属于投诉、咨询还是付款问题？只回答一个标签。",
                "为CRM标注这封邮件的意图：COMPLAINT、INQUIRY、BILLING_DISPUTE 或 RENEWAL，只输出标签。",
            ),
            "ja": (
                "このメールは「苦情」「問い合わせ」「支払いの問題」のどれですか。ラベル1つで答えてください。",
                "CRM登録用に意図をタグ付けしてください：COMPLAINT / INQUIRY / BILLING_DISPUTE / RENEWAL。タグのみ出力。",
            ),
        },
        mail.email,
        rows=3,
    ),
    Task(
        "document-type",
        "simple",
        {
            "en": (
                "What kind of document is this: contract, invoice, meeting notes or email? One word.",
                "Route this to the right inbox (legal, accounts-payable, ops, sales). Reply with the inbox name only.",
                "Is this document confidential? yes/no",
            ),
            "de": (
                "Was für ein Dokument ist das: Vertrag, Rechnung, Protokoll oder E-Mail? Ein Wort.",
                "An welches Postfach geht das (Recht, Kreditoren, Operations, Vertrieb)? Nur den Namen des Postfachs.",
                "Ist das Dokument vertraulich? ja/nein",
            ),
            "fr": (
                "Quel type de document est-ce : contrat, facture, compte rendu ou e-mail ? Un mot.",
                "Vers quelle boîte l'envoyer (juridique, comptabilité fournisseurs, opérations, ventes) ? Uniquement le nom.",
                "Ce document est-il confidentiel ? oui/non",
            ),
            "es": (
                "¿Qué tipo de documento es: contrato, factura, acta o correo? Una palabra.",
                "¿A qué buzón va (legal, cuentas a pagar, operaciones, ventas)? Solo el nombre del buzón.",
                "¿Es confidencial este documento? sí/no",
            ),
            "zh": (
                "这是什么类型的文件：合同、发票、会议纪要还是邮件？只回答一个词。",
                "这份文件该转给哪个邮箱（法务、应付账款、运营、销售）？只写邮箱名称。",
                "这份文件属于机密吗？是/否",
            ),
            "ja": (
                "これは何の文書ですか：契約書・請求書・議事録・メールのどれか一語で。",
                "どの窓口に回すべきですか（法務・買掛金・業務・営業）。窓口名のみ回答。",
                "この文書は機密扱いですか。はい／いいえ",
            ),
        },
        _any_document,
        rows=4,
    ),
    Task(
        "ticket-priority",
        "medium",
        {
            "en": (
                "Assign a priority (P1-P4) to this ticket and explain your reasoning in a short paragraph.",
                "What severity would you give this, and which team should pick it up? A few sentences.",
            ),
            "de": (
                "Vergib eine Priorität (P1-P4) für dieses Ticket und begründe sie in einem kurzen Absatz.",
                "Welche Dringlichkeit würdest du vergeben, und welches Team sollte es übernehmen? Ein paar Sätze.",
            ),
            "fr": (
                "Attribue une priorité (P1 à P4) à ce ticket et justifie-la en un court paragraphe.",
                "Quelle sévérité donnerais-tu, et quelle équipe doit le prendre ? Quelques phrases.",
            ),
            "es": (
                "Asigna una prioridad (P1-P4) a este ticket y explica tu razonamiento en un párrafo breve.",
                "¿Qué gravedad le darías y qué equipo debería encargarse? Unas pocas frases.",
            ),
            "zh": (
                "给这个工单定一个优先级（P1-P4），并用一小段话说明理由。",
                "你会给这个问题定什么严重级别？应该由哪个团队处理？几句话说明。",
            ),
            "ja": (
                "このチケットに優先度（P1〜P4）を付け、理由を短い段落で説明してください。",
                "重大度はどのくらいで、どのチームが対応すべきでしょうか。数文でお願いします。",
            ),
        },
        mail.ticket,
        rows=5,
    ),
    Task(
        "complaint-taxonomy",
        "complex",
        {
            "en": (
                "Build a taxonomy for the tickets below: define the categories and subcategories, justify each one, assign every ticket, recommend which team owns each category, and propose routing rules we can automate.",
                "These are last week's escalations. Cluster them by root cause rather than symptom, estimate the business impact of each cluster, and give me a prioritised plan to cut escalation volume by half next quarter.",
            ),
            "de": (
                "Erstelle eine Taxonomie für die folgenden Tickets: Kategorien und Unterkategorien definieren, jede begründen, jedes Ticket zuordnen, pro Kategorie das verantwortliche Team empfehlen und automatisierbare Routing-Regeln vorschlagen.",
                "Das sind die Eskalationen der letzten Woche. Gruppiere sie nach Ursache statt nach Symptom, schätze die geschäftlichen Auswirkungen jeder Gruppe und gib mir einen priorisierten Plan, wie wir die Eskalationen im nächsten Quartal halbieren.",
            ),
            "fr": (
                "Construis une taxonomie pour les tickets ci-dessous : catégories et sous-catégories, justification de chacune, affectation de chaque ticket, équipe responsable recommandée par catégorie et règles de routage automatisables.",
                "Voici les escalades de la semaine dernière. Regroupe-les par cause racine plutôt que par symptôme, estime l'impact business de chaque groupe et propose un plan priorisé pour diviser leur volume par deux le trimestre prochain.",
            ),
            "es": (
                "Crea una taxonomía para los tickets siguientes: define categorías y subcategorías, justifica cada una, asigna cada ticket, recomienda qué equipo es responsable de cada categoría y propone reglas de enrutamiento automatizables.",
                "Son las escalaciones de la semana pasada. Agrúpalas por causa raíz y no por síntoma, estima el impacto en el negocio de cada grupo y dame un plan priorizado para reducirlas a la mitad el próximo trimestre.",
            ),
            "zh": (
                "为下面这些工单建立分类体系：定义一级和二级类别并说明理由，把每个工单归类，建议每个类别由哪个团队负责，并提出可自动化的分派规则。",
                "这些是上周升级的工单。请按根本原因而不是表面症状聚类，评估每一类的业务影响，并给出一个按优先级排序的计划，争取下季度把升级量减少一半。",
            ),
            "ja": (
                "以下のチケットについて分類体系を作ってください。大分類・小分類を定義して根拠を示し、各チケットを割り当て、分類ごとの担当チームを提案し、自動化できる振り分けルールを示してください。",
                "先週エスカレーションされた案件です。症状ではなく根本原因でグループ化し、各グループのビジネス影響を見積もり、来四半期にエスカレーションを半減させる優先順位付きの計画を立ててください。",
            ),
        },
        mail.tickets,
        rows=4,
    ),
    Task(
        "incident-root-cause",
        "complex",
        {
            "en": (
                "Classify every error in these logs by likely root cause, work out whether they belong to one incident or several, reconstruct the timeline, and propose remediation steps in priority order.",
                "On-call here. Given these log lines, which failure is the cause and which are symptoms? Justify it, estimate the user impact, and write the first three actions for the incident channel.",
            ),
            "de": (
                "Ordne jeden Fehler in diesen Logs einer wahrscheinlichen Ursache zu, kläre, ob es ein oder mehrere Incidents sind, rekonstruiere die Zeitleiste und schlage Gegenmaßnahmen in Prioritätsreihenfolge vor.",
                "Bin im Bereitschaftsdienst. Welcher Fehler in diesen Logzeilen ist Ursache, welche sind Folgen? Begründe es, schätze die Auswirkungen auf Nutzer und schreib die ersten drei Maßnahmen für den Incident-Kanal.",
            ),
            "fr": (
                "Classe chaque erreur de ces logs par cause probable, détermine s'il s'agit d'un ou de plusieurs incidents, reconstitue la chronologie et propose les mesures correctives par ordre de priorité.",
                "Je suis d'astreinte. Dans ces lignes de log, quelle panne est la cause et lesquelles sont des symptômes ? Justifie, estime l'impact utilisateurs et rédige les trois premières actions pour le canal d'incident.",
            ),
            "es": (
                "Clasifica cada error de estos logs por su causa probable, determina si pertenecen a uno o varios incidentes, reconstruye la cronología y propone medidas correctivas por orden de prioridad.",
                "Estoy de guardia. En estas líneas de log, ¿qué fallo es la causa y cuáles son síntomas? Justifícalo, estima el impacto en usuarios y escribe las tres primeras acciones para el canal del incidente.",
            ),
            "zh": (
                "把这些日志里的每个错误按可能的根因分类，判断它们属于一个事故还是多个，还原时间线，并按优先级给出修复步骤。",
                "我在值班。这些日志里哪个故障是根因、哪些只是连带症状？请说明理由，估计对用户的影响，并写出事故群里要执行的前三步。",
            ),
            "ja": (
                "このログのエラーを推定原因ごとに分類し、1件の障害か複数かを判断し、時系列を再構成したうえで、優先度順に対応策を提案してください。",
                "オンコール中です。このログで原因となっている障害はどれで、どれが派生症状ですか。根拠、ユーザー影響の見積もり、障害チャンネルに書く最初の3アクションをお願いします。",
            ),
        },
        biz.log_lines,
        rows=4,
    ),
    Task(
        "classification-scheme-design",
        "complex",
        {
            "en": (
                "Design a classification scheme for {company}'s inbound emails (about 9,000 a day in six languages): labels, how to handle multi-intent messages, confidence thresholds for human triage, and how to measure drift.",
                "Should we classify support tickets with fine-tuned BERT, an LLM with few-shot prompts, or keyword rules? We get {headcount}k tickets a month, latency budget 200 ms. Compare cost, accuracy and maintenance and recommend one.",
            ),
            "de": (
                "Entwirf ein Klassifikationsschema für die eingehenden E-Mails von {company} (rund 9.000 pro Tag in sechs Sprachen): Labels, Umgang mit Mails mit mehreren Anliegen, Konfidenzschwellen für manuelle Sichtung und Messung von Drift.",
                "Sollten wir Support-Tickets mit feinjustiertem BERT, einem LLM mit Few-Shot-Prompts oder Keyword-Regeln klassifizieren? {headcount}.000 Tickets im Monat, Latenzbudget 200 ms. Vergleiche Kosten, Genauigkeit und Wartung und empfiehl eine Lösung.",
            ),
            "fr": (
                "Conçois un schéma de classification pour les e-mails entrants de {company} (environ 9 000 par jour en six langues) : étiquettes, gestion des messages à intentions multiples, seuils de confiance pour le tri humain et suivi de la dérive.",
                "Faut-il classer les tickets avec un BERT affiné, un LLM en few-shot ou des règles par mots-clés ? {headcount} 000 tickets par mois, budget de latence de 200 ms. Compare coût, précision et maintenance, puis recommande une option.",
            ),
            "es": (
                "Diseña un esquema de clasificación para los correos entrantes de {company} (unos 9.000 al día en seis idiomas): etiquetas, tratamiento de mensajes con varias intenciones, umbrales de confianza para triaje humano y medición de la deriva.",
                "¿Clasificamos los tickets con un BERT ajustado, un LLM con few-shot o reglas de palabras clave? Recibimos {headcount} mil tickets al mes y el presupuesto de latencia es de 200 ms. Compara coste, precisión y mantenimiento y recomienda una opción.",
            ),
            "zh": (
                "为{company}的来信（每天约9000封，六种语言）设计一套分类方案：标签体系、多意图邮件的处理方式、转人工分拣的置信度阈值，以及如何监测分布漂移。",
                "工单分类该用微调BERT、少样本提示的大模型，还是关键词规则？我们每月{headcount}千张工单，延迟预算200毫秒。请比较成本、准确率和维护成本，并给出推荐。",
            ),
            "ja": (
                "{company}の受信メール（1日約9,000通・6言語）の分類体系を設計してください。ラベル、複数の意図を含むメールの扱い、人手仕分けに回す信頼度の閾値、ドリフトの監視方法を含めて。",
                "問い合わせチケットの分類は、ファインチューニングしたBERT、few-shotのLLM、キーワードルールのどれが良いでしょうか。月{headcount}千件、レイテンシ予算200ms。コスト・精度・保守性を比較して推奨案を出してください。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("classification", TASKS, rng)


FAMILY = Family(
    "classification",
    "Label tickets, reviews and emails; build taxonomies, classify incidents by "
    "root cause and design classification schemes",
    generate,
)
