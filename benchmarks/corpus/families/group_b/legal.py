# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""legal: from "extract the governing-law clause" to GDPR Art. 28 assessments and reconciling two contract versions."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.engine import family, integer, phrase, pick, pick_lang
from benchmarks.corpus.families.group_b.legal_bank import ABBREVIATIONS, contract, data_clause, two_contracts

PHRASINGS = (
    phrase(
        "governing-law",
        "simple",
        "after-payload",
        en="{contract}\n\nExtract the governing-law clause.",
        de="{contract}\n\nZieh die Rechtswahlklausel heraus.",
        fr="{contract}\n\nExtrais la clause de droit applicable.",
        es="{contract}\n\nExtrae la cláusula de ley aplicable.",
        zh="{contract}\n\n把适用法律条款摘出来。",
        ja="{contract}\n\n準拠法の条項を抜き出してください。",
    ),
    phrase(
        "abbreviation",
        "simple",
        "question",
        en="what does {abbr} stand for in contracts?",
        de="Wofür steht {abbr} bei Verträgen?",
        fr="Que signifie {abbr} dans un contrat ?",
        es="¿Qué significa {abbr} en un contrato?",
        zh="合同里的{abbr}是什么意思？",
        ja="契約書でいう{abbr}とは何の略ですか？",
    ),
    phrase(
        "notice-period",
        "simple",
        "json",
        en='From this agreement, return JSON {{"initial_term_months": n, "non_renewal_notice_days": n, "payment_days": n}}.\n\n{contract}',
        de='Gib aus diesem Vertrag JSON zurück: {{"initial_term_months": n, "non_renewal_notice_days": n, "payment_days": n}}.\n\n{contract}',
        fr='À partir de ce contrat, renvoie le JSON {{"initial_term_months": n, "non_renewal_notice_days": n, "payment_days": n}}.\n\n{contract}',
        es='De este contrato, devuelve JSON {{"initial_term_months": n, "non_renewal_notice_days": n, "payment_days": n}}.\n\n{contract}',
        zh='从这份协议中提取并返回 JSON：{{"initial_term_months": n, "non_renewal_notice_days": n, "payment_days": n}}。\n\n{contract}',
        ja='この契約書から JSON {{"initial_term_months": n, "non_renewal_notice_days": n, "payment_days": n}} を返してください。\n\n{contract}',
    ),
    phrase(
        "auto-renewal",
        "simple",
        "terse",
        en="{contract}\n\nauto-renews? yes/no",
        de="{contract}\n\nVerlängert sich automatisch? Ja/Nein",
        fr="{contract}\n\nReconduction tacite ? oui/non",
        es="{contract}\n\n¿Se renueva automáticamente? sí/no",
        zh="{contract}\n\n会自动续约吗？是/否",
        ja="{contract}\n\n自動更新ですか？はい/いいえ",
    ),
    phrase(
        "liability-cap",
        "simple",
        "polite",
        en="Could you tell me what the liability cap is in this contract? Just the amount.\n\n{contract}",
        de="Kannst du mir sagen, wie hoch die Haftungsobergrenze in diesem Vertrag ist? Nur den Betrag.\n\n{contract}",
        fr="Peux-tu me dire quel est le plafond de responsabilité dans ce contrat ? Juste le montant.\n\n{contract}",
        es="¿Me dices cuál es el límite de responsabilidad de este contrato? Solo el importe.\n\n{contract}",
        zh="请告诉我这份合同的责任上限是多少？只要金额。\n\n{contract}",
        ja="この契約の損害賠償の上限額を教えていただけますか。金額だけで結構です。\n\n{contract}",
    ),
    phrase(
        "plain-language",
        "medium",
        "explain",
        en="Explain this clause in plain English for our sales team:\n\n{dataclause}",
        de="Erklär diese Klausel in einfachen Worten für unser Vertriebsteam:\n\n{dataclause}",
        fr="Explique cette clause en langage simple pour notre équipe commerciale :\n\n{dataclause}",
        es="Explica esta cláusula en lenguaje sencillo para el equipo comercial:\n\n{dataclause}",
        zh="用通俗的话给销售团队解释一下这条条款：\n\n{dataclause}",
        ja="この条項を営業チーム向けに平易な言葉で説明してください。\n\n{dataclause}",
    ),
    phrase(
        "obligations-bullets",
        "medium",
        "after-payload",
        en="{contract}\n\nList the customer's obligations as bullet points.",
        de="{contract}\n\nListe die Pflichten des Auftraggebers als Stichpunkte auf.",
        fr="{contract}\n\nListe les obligations du Client sous forme de puces.",
        es="{contract}\n\nEnumera en viñetas las obligaciones del Cliente.",
        zh="{contract}\n\n用要点列出甲方的义务。",
        ja="{contract}\n\n甲の義務を箇条書きで挙げてください。",
    ),
    phrase(
        "draft-nda-clause",
        "medium",
        "draft",
        en="Draft a mutual confidentiality clause for a two-year pilot between {company} and a startup.",
        de="Entwirf eine gegenseitige Vertraulichkeitsklausel für einen zweijährigen Pilot zwischen {company} und einem Start-up.",
        fr="Rédige une clause de confidentialité réciproque pour un pilote de deux ans entre {company} et une start-up.",
        es="Redacta una cláusula de confidencialidad recíproca para un piloto de dos años entre {company} y una startup.",
        zh="为{company}与一家初创公司为期两年的试点合作起草一条双向保密条款。",
        ja="{company}とスタートアップの2年間の実証実験向けに、双方向の秘密保持条項を起草してください。",
    ),
    phrase(
        "gdpr-art28",
        "complex",
        "after-payload",
        en="{dataclause}\n\nAssess whether this data-processing clause meets GDPR Art. 28(3): go through each mandatory element, say what's missing or too weak, and redraft the clause so it complies, including sub-processor approval and audit rights.",
        de="{dataclause}\n\nPrüfe, ob diese Datenschutzklausel die Anforderungen aus Art. 28 Abs. 3 DSGVO erfüllt: Geh jedes Pflichtelement durch, benenne, was fehlt oder zu schwach ist, und formuliere die Klausel konform neu, inklusive Zustimmung zu Unterauftragsverarbeitern und Kontrollrechten.",
        fr="{dataclause}\n\nÉvalue si cette clause respecte l'article 28, paragraphe 3 du RGPD : passe en revue chaque élément obligatoire, indique ce qui manque ou est insuffisant, puis réécris la clause pour la mettre en conformité, y compris l'autorisation des sous-traitants ultérieurs et le droit d'audit.",
        es="{dataclause}\n\nEvalúa si esta cláusula cumple el artículo 28.3 del RGPD: repasa cada elemento obligatorio, señala lo que falta o es insuficiente y redáctala de nuevo para que cumpla, incluida la autorización de subencargados y el derecho de auditoría.",
        zh="{dataclause}\n\n请评估这条数据处理条款是否符合GDPR第28条第3款：逐项核对必备要素，指出缺失或不足之处，并重新起草使其合规，包括再委托处理者的事先授权和审计权。",
        ja="{dataclause}\n\nこのデータ処理条項が GDPR 第28条第3項を満たしているか評価してください。必須要素を一つずつ確認し、欠けている点・不十分な点を指摘したうえで、再委託の事前承認と監査権を含めて適合する条文に書き直してください。",
    ),
    phrase(
        "reconcile-contracts",
        "complex",
        "imperative",
        en="Compare the two versions below clause by clause. List every conflicting term, say which version favours us as the customer, flag anything unusual for our market, and recommend what to accept, reject or counter.\n\n{twocontracts}",
        de="Vergleiche die beiden Fassungen unten Klausel für Klausel. Liste jede abweichende Regelung auf, sag, welche Fassung uns als Auftraggeber begünstigt, markiere Marktunübliches und empfiehl, was wir annehmen, ablehnen oder nachverhandeln.\n\n{twocontracts}",
        fr="Compare les deux versions ci-dessous clause par clause. Liste chaque divergence, indique quelle version nous avantage en tant que Client, signale ce qui est inhabituel sur notre marché et recommande ce qu'il faut accepter, refuser ou contre-proposer.\n\n{twocontracts}",
        es="Compara las dos versiones de abajo cláusula por cláusula. Enumera cada término en conflicto, indica qué versión nos favorece como Cliente, señala lo que sea inusual en nuestro mercado y recomienda qué aceptar, rechazar o contraofertar.\n\n{twocontracts}",
        zh="逐条对比下面两个版本。列出所有不一致的条款，说明哪个版本对我方（甲方）更有利，标出在本地市场不常见的约定，并建议哪些接受、拒绝或还价。\n\n{twocontracts}",
        ja="以下の2つのバージョンを条項ごとに比較してください。食い違う条件をすべて挙げ、甲（当社）に有利なのはどちらか、市場慣行から外れる点、受け入れる・拒否する・対案を出すべき点を提言してください。\n\n{twocontracts}",
    ),
    phrase(
        "liability-negotiation",
        "complex",
        "short",
        en="The vendor wants liability capped at {k} months' fees for a SaaS holding our customers' {datatype}. What should we counter with, what carve-outs matter, and what's our fallback?",
        de="Der Anbieter will die Haftung auf {k} Monatsentgelte deckeln, für ein SaaS mit {datatype} unserer Kunden. Was fordern wir dagegen, welche Ausnahmen sind wichtig, und was ist unsere Rückfallposition?",
        fr="Le fournisseur veut plafonner sa responsabilité à {k} mois de redevances pour un SaaS qui héberge {datatype} de nos clients. Que contre-proposer, quelles exclusions comptent, et quelle est notre position de repli ?",
        es="El proveedor quiere limitar su responsabilidad a {k} meses de cuotas en un SaaS que guarda {datatype} de nuestros clientes. ¿Qué contraofertamos, qué excepciones importan y cuál es nuestra posición de repliegue?",
        zh="供应商要求把责任上限定为{k}个月服务费，而该SaaS存有我们客户的{datatype}。我们应如何还价、哪些例外条款最关键、底线方案是什么？",
        ja="顧客の{datatype}を預ける SaaS で、ベンダーが責任上限を月額料金の{k}か月分にしたいと言っています。どう対案を出すべきか、重要な除外事項、落としどころを教えてください。",
    ),
    phrase(
        "employment-termination",
        "complex",
        "question",
        en="We need to let go of a sales manager in {city} who's been with us 7 years and is currently on sick leave. What are the legal risks, what process must we follow, what severance is realistic, and how should we document it?",
        de="Wir wollen uns von einem Vertriebsleiter in {city} trennen, der seit 7 Jahren bei uns ist und gerade krankgeschrieben ist. Welche rechtlichen Risiken gibt es, welches Verfahren müssen wir einhalten, welche Abfindung ist realistisch, und wie dokumentieren wir das?",
        fr="Nous devons nous séparer d'un directeur commercial à {city}, 7 ans d'ancienneté, actuellement en arrêt maladie. Quels sont les risques juridiques, quelle procédure suivre, quelle indemnité est réaliste et comment documenter le dossier ?",
        es="Tenemos que despedir a un jefe de ventas en {city} con 7 años de antigüedad que ahora está de baja médica. ¿Qué riesgos legales hay, qué procedimiento debemos seguir, qué indemnización es realista y cómo lo documentamos?",
        zh="我们要和{city}一位入职7年、目前正在休病假的销售经理解除劳动合同。有哪些法律风险、必须走什么流程、补偿金大概多少合理、应如何留存书面证据？",
        ja="{city}勤務で在籍7年、現在病気休職中の営業マネージャーとの雇用契約を終了したいと考えています。法的リスク、踏むべき手続き、現実的な解決金の水準、記録の残し方を教えてください。",
    ),
    phrase(
        "cross-border-transfer",
        "complex",
        "polite",
        en="Could you outline what {company} must do to send EU employee data to our new HR platform hosted in the US: the transfer mechanism, the transfer impact assessment, works-council involvement, and the contract changes, in the order we should do them?",
        de="Könntest du skizzieren, was {company} tun muss, um Beschäftigtendaten aus der EU an unsere neue, in den USA gehostete HR-Plattform zu übermitteln: Übermittlungsmechanismus, Transfer Impact Assessment, Beteiligung des Betriebsrats und Vertragsänderungen, in der richtigen Reihenfolge?",
        fr="Pourrais-tu décrire ce que {company} doit faire pour transférer les données de salariés européens vers notre nouvelle plateforme RH hébergée aux États-Unis : mécanisme de transfert, analyse d'impact du transfert, consultation du CSE et modifications contractuelles, dans l'ordre où les mener ?",
        es="¿Podrías explicar qué tiene que hacer {company} para enviar datos de empleados de la UE a nuestra nueva plataforma de RR. HH. alojada en EE. UU.: mecanismo de transferencia, evaluación de impacto de la transferencia, participación del comité de empresa y cambios contractuales, en el orden adecuado?",
        zh="能否梳理一下{company}把欧盟员工数据传输到我们托管在美国的新人力资源平台需要做什么：传输机制、传输影响评估、职工委员会的参与以及合同修改，并按先后顺序排列？",
        ja="{company}が EU の従業員データを米国でホストされる新しい人事プラットフォームに移転するために必要なこと（移転の根拠、移転影響評価、労使協議会の関与、契約の変更）を、実施すべき順序で整理していただけますか。",
    ),
)

DATA_TYPES = {
    "en": ["health data", "payment card data", "payroll records", "children's account data"],
    "de": ["Gesundheitsdaten", "Kreditkartendaten", "Lohnabrechnungsdaten", "Daten minderjähriger Nutzer"],
    "fr": [
        "les données de santé",
        "les données de cartes bancaires",
        "les données de paie",
        "les données de comptes mineurs",
    ],
    "es": ["los datos de salud", "los datos de tarjetas", "los datos de nóminas", "los datos de cuentas de menores"],
    "zh": ["健康数据", "银行卡数据", "薪资数据", "未成年人账户数据"],
    "ja": ["健康情報", "カード情報", "給与データ", "未成年者のアカウント情報"],
}

FILLERS = {
    "k": integer(1, 6),
    "datatype": pick_lang(DATA_TYPES),
    "contract": contract,
    "twocontracts": two_contracts,
    "dataclause": data_clause,
    "abbr": pick(ABBREVIATIONS),
}

SYSTEM_PROMPTS = {
    "en": [
        "You are in-house counsel at {company}. Flag anything that needs a qualified lawyer.",
        "You are a contract-review assistant for {company}'s legal team.",
    ],
    "de": [
        "Du bist Syndikusrechtsanwalt bei {company}. Weise darauf hin, wenn etwas anwaltlich geprüft werden muss.",
        "Du bist der Vertragsprüfungs-Assistent der Rechtsabteilung von {company}.",
    ],
    "fr": [
        "Tu es juriste d'entreprise chez {company}. Signale ce qui nécessite un avocat.",
        "Tu es l'assistant de revue contractuelle du service juridique de {company}.",
    ],
    "es": [
        "Eres abogado interno de {company}. Indica lo que requiera revisión de un letrado.",
        "Eres el asistente de revisión de contratos del departamento jurídico de {company}.",
    ],
    "zh": ["你是{company}的法务顾问，需要律师把关的地方请明确指出。", "你是{company}法务部的合同审核助手。"],
    "ja": [
        "あなたは{company}の企業内弁護士です。専門家の確認が必要な点は明示してください。",
        "あなたは{company}法務部の契約審査アシスタントです。",
    ],
}

LEGAL = family(
    "legal",
    "Contracts and compliance: extracting one clause or term up to GDPR assessments, redlines and employment-law risk.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
