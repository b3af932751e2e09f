# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""extraction: pull fields out of pasted documents (simple) up to reconciling documents and designing
extraction pipelines (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a.banks import Slots
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family


def _invoice_and_email(rng: random.Random, lang: str, slots: Slots) -> str:
    return biz.invoice(rng, lang, slots) + "\n\n-----\n\n" + mail.email(rng, lang, slots)


TASKS = (
    Task(
        "invoice-fields",
        "simple",
        {
            "en": (
                "What is the total due on this invoice? Just the amount.",
                "Extract the invoice number, invoice date and total due as JSON with keys invoice_no, date, total.",
                "due date?",
            ),
            "de": (
                "Wie hoch ist der Gesamtbetrag dieser Rechnung? Nur den Betrag bitte.",
                "Extrahiere Rechnungsnummer, Rechnungsdatum und Gesamtbetrag als JSON (invoice_no, date, total).",
                "Fälligkeitsdatum?",
            ),
            "fr": (
                "Quel est le montant net à payer de cette facture ? Juste le montant.",
                "Extrais le numéro de facture, la date et le total en JSON (clés invoice_no, date, total).",
                "date d'échéance ?",
            ),
            "es": (
                "¿Cuál es el total a pagar de esta factura? Solo el importe.",
                "Extrae el número de factura, la fecha y el total en JSON con las claves invoice_no, date, total.",
                "¿fecha de vencimiento?",
            ),
            "zh": (
                "这张发票的价税合计是多少？只回答金额。",
                "提取发票号码、开票日期和总金额，用JSON输出（invoice_no, date, total）。",
                "付款期限是哪天？",
            ),
            "ja": (
                "この請求書のご請求金額はいくらですか。金額だけ答えてください。",
                "請求書番号・発行日・合計金額をJSON（invoice_no, date, total）で抽出してください。",
                "支払期限は？",
            ),
        },
        biz.invoice,
        rows=4,
    ),
    Task(
        "contract-term",
        "simple",
        {
            "en": (
                "When does this agreement start and how long is the initial term?",
                "Extract the non-renewal notice period from the contract below. One line.",
                "Which city's courts or law govern this contract? Answer with the place only.",
            ),
            "de": (
                "Wann beginnt der Vertrag und wie lang ist die Erstlaufzeit?",
                "Welche Kündigungsfrist gilt laut folgendem Vertrag? Bitte in einem Satz.",
                "Welches Recht bzw. welcher Gerichtsstand gilt? Nur den Ort.",
            ),
            "fr": (
                "Quand le contrat prend-il effet et quelle est sa durée initiale ?",
                "Relève le délai de préavis de non-reconduction dans le contrat ci-dessous. Une ligne.",
                "Quel droit ou quel tribunal est compétent ? Réponds juste par le lieu.",
            ),
            "es": (
                "¿Cuándo entra en vigor el contrato y cuál es su duración inicial?",
                "Extrae el plazo de preaviso de no renovación del contrato siguiente. En una línea.",
                "¿Qué juzgados o ley se aplican? Solo el lugar.",
            ),
            "zh": (
                "这份协议什么时候生效？初始期限多长？",
                "从下面的合同中提取不续约的通知期限，一句话回答。",
                "合同约定的争议解决地点是哪里？只写地名。",
            ),
            "ja": (
                "この契約の開始日と当初の契約期間を教えてください。",
                "以下の契約書から、更新拒絶の通知期限を抜き出してください。一行で。",
                "合意管轄はどこですか。地名のみで。",
            ),
        },
        biz.contract,
        rows=4,
    ),
    Task(
        "email-reference",
        "simple",
        {
            "en": (
                "Which order number is this email about? Reply with the number only.",
                "Pull out the sender's name, company and the amount mentioned.",
                "What deadline does the sender ask for, if any?",
            ),
            "de": (
                "Um welche Bestellnummer geht es in dieser Mail? Nur die Nummer.",
                "Zieh bitte Name, Firma des Absenders und den genannten Betrag heraus.",
                "Bis wann erwartet der Absender eine Antwort?",
            ),
            "fr": (
                "De quel numéro de commande parle ce mail ? Réponds uniquement par le numéro.",
                "Donne-moi le nom de l'expéditeur, sa société et le montant mentionné.",
                "Quelle échéance l'expéditeur demande-t-il ?",
            ),
            "es": (
                "¿A qué número de pedido se refiere este correo? Responde solo con el número.",
                "Saca el nombre del remitente, su empresa y el importe mencionado.",
                "¿Qué plazo pide el remitente?",
            ),
            "zh": (
                "这封邮件说的是哪个订单号？只回复编号。",
                "提取发件人姓名、公司和邮件中提到的金额。",
                "发件人要求在什么时间之前回复？",
            ),
            "ja": (
                "このメールはどの注文番号についてですか。番号だけ返してください。",
                "差出人の氏名・会社名・記載金額を抜き出して。",
                "差出人が求めている期限はいつですか。",
            ),
        },
        mail.email,
        rows=3,
    ),
    Task(
        "inline-field",
        "simple",
        {
            "en": (
                'Extract the phone number: "Call me back on +1 312 555 0187 after 3pm – {person}"',
                'What\'s the PO number in this line: "Shipment for {order} left {city} on {date}."',
                'Get the amount from: "Refund of {amount} approved for ticket {ticket}." Number only.',
            ),
            "de": (
                'Telefonnummer rausziehen: "Bitte um Rückruf unter +49 89 2154 8870 ab 15 Uhr – {person}"',
                'Welche Bestellnummer steht hier: "Lieferung zu {order} hat {city} am {date} verlassen."',
                'Betrag aus: "Erstattung von {amount} für Ticket {ticket} freigegeben." Nur die Zahl.',
            ),
            "fr": (
                "Extrais le numéro : « Rappelez-moi au +33 4 72 10 55 21 après 15 h – {person} »",
                "Quel est le numéro de commande : « L'envoi {order} a quitté {city} le {date}. »",
                "Montant seul : « Remboursement de {amount} validé pour le ticket {ticket}. »",
            ),
            "es": (
                "Saca el teléfono: «Llámame al +34 963 55 01 87 a partir de las 15 h – {person}»",
                "¿Qué número de pedido aparece? «El envío {order} salió de {city} el {date}.»",
                "Importe de: «Reembolso de {amount} aprobado para el ticket {ticket}.» Solo la cifra.",
            ),
            "zh": (
                "提取电话号码：“下午3点后请回电 138 0013 8000 —— {person}”",
                "这句话里的订单号是多少：“{order}的货物已于{date}从{city}发出。”",
                "金额是多少：“工单{ticket}的退款{amount}已批准。”只写数字。",
            ),
            "ja": (
                "電話番号を抜き出して：「15時以降に 090-1234-5678 へ折り返しお願いします（{person}）」",
                "この文の注文番号は？「{order}の荷物は{date}に{city}を出荷しました。」",
                "金額だけ：「チケット{ticket}の返金{amount}を承認しました。」",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "action-items",
        "medium",
        {
            "en": (
                "List the action items from these notes as bullet points: owner, task, deadline.",
                "Can you turn these meeting notes into a short list of decisions and open questions?",
            ),
            "de": (
                "Liste die To-dos aus diesen Notizen als Stichpunkte auf: wer, was, bis wann.",
                "Kannst du aus dem Protokoll eine kurze Liste mit Entscheidungen und offenen Fragen machen?",
            ),
            "fr": (
                "Liste les actions de ce compte rendu sous forme de puces : responsable, tâche, échéance.",
                "Peux-tu tirer de ces notes une courte liste des décisions et des questions ouvertes ?",
            ),
            "es": (
                "Enumera las tareas de estas notas en viñetas: responsable, tarea, plazo.",
                "¿Puedes sacar de estas notas una lista breve de decisiones y temas pendientes?",
            ),
            "zh": (
                "把会议纪要里的待办事项列成要点：负责人、事项、截止时间。",
                "能把这份纪要整理成已决事项和待定问题两个简短列表吗？",
            ),
            "ja": (
                "議事録からアクションアイテムを箇条書きで抜き出してください（担当・内容・期限）。",
                "この議事録を「決定事項」と「未決事項」の短いリストにまとめてもらえますか。",
            ),
        },
        biz.meeting_notes,
        rows=5,
    ),
    Task(
        "contract-reconciliation",
        "complex",
        {
            "en": (
                "Reconcile these two versions of the agreement: list every clause where they conflict, say which version favours {company}, quantify the financial impact over the full term, and recommend what we should sign.",
                "We received version B back from {company2}'s lawyers. Compare it clause by clause with version A, flag every change (including silent deletions), assess the risk of each for us as Customer, and draft the three changes we should push back on, with wording.",
            ),
            "de": (
                "Gleiche die beiden Fassungen ab: Nenne jede Klausel mit Widerspruch, sag, welche Fassung {company} begünstigt, beziffere die finanziellen Auswirkungen über die gesamte Laufzeit und empfiehl, welche wir unterschreiben sollten.",
                "Fassung B kam von den Anwälten der {company2} zurück. Vergleiche sie Paragraf für Paragraf mit Fassung A, markiere jede Änderung (auch gestrichene Passagen), bewerte das Risiko für uns als Auftraggeber und formuliere die drei Punkte, die wir zurückweisen sollten, mit Textvorschlag.",
            ),
            "fr": (
                "Rapproche ces deux versions du contrat : liste chaque article en contradiction, indique laquelle avantage {company}, chiffre l'impact financier sur toute la durée et recommande la version à signer.",
                "Les avocats de {company2} nous ont renvoyé la version B. Compare-la article par article à la version A, signale chaque modification (y compris les suppressions), évalue le risque pour nous en tant que Client et rédige les trois contre-propositions à faire, avec leur formulation.",
            ),
            "es": (
                "Concilia estas dos versiones del contrato: enumera cada cláusula en conflicto, indica cuál favorece a {company}, cuantifica el impacto económico en toda la duración y recomienda cuál firmar.",
                "Los abogados de {company2} nos han devuelto la versión B. Compárala cláusula por cláusula con la A, señala cada cambio (incluidas las supresiones), valora el riesgo para nosotros como Cliente y redacta las tres contrapropuestas que deberíamos hacer, con su texto.",
            ),
            "zh": (
                "对比这两个版本的协议：列出所有相互冲突的条款，说明每处对{company}更有利的是哪个版本，量化整个合同期内的财务影响，并建议我们签哪一版。",
                "{company2}的律师退回了版本B。请逐条与版本A对比，标出所有改动（包括被删除的内容），评估每处改动对我方（甲方）的风险，并起草我们应坚持修改的三条意见及具体措辞。",
            ),
            "ja": (
                "2つの版の契約書を突き合わせ、矛盾する条項をすべて挙げ、それぞれどちらが{company}に有利かを示し、契約期間全体での金銭的影響を試算したうえで、どちらで締結すべきか提言してください。",
                "{company2}の弁護士からB版が戻ってきました。A版と条ごとに比較し、削除を含むすべての変更点を洗い出し、委託者である当社にとってのリスクを評価し、押し返すべき3点を修正文案付きでまとめてください。",
            ),
        },
        biz.contract_pair,
        rows=4,
    ),
    Task(
        "invoice-dispute-audit",
        "complex",
        {
            "en": (
                "Audit this invoice against the email that follows: recompute the correct total line by line, list each discrepancy with the amount at stake, decide which claims in the email are justified, and draft the reply to the supplier.",
                "Check whether the supplier's invoice matches what was agreed in the email. I need a corrected calculation, a table of discrepancies, and a recommendation on whether to pay, short-pay or hold.",
            ),
            "de": (
                "Prüfe diese Rechnung gegen die folgende E-Mail: Rechne den korrekten Betrag Position für Position nach, liste jede Abweichung mit dem Betrag, entscheide, welche Einwände berechtigt sind, und entwirf die Antwort an den Lieferanten.",
                "Stimmt die Rechnung mit dem überein, was per Mail vereinbart war? Ich brauche eine korrigierte Berechnung, eine Tabelle der Abweichungen und eine Empfehlung: zahlen, kürzen oder zurückhalten.",
            ),
            "fr": (
                "Contrôle cette facture par rapport au mail qui suit : recalcule le bon total ligne par ligne, liste chaque écart avec le montant en jeu, dis quelles réclamations sont fondées et rédige la réponse au fournisseur.",
                "La facture correspond-elle à ce qui a été convenu par mail ? Il me faut un calcul corrigé, un tableau des écarts et une recommandation : payer, payer partiellement ou bloquer.",
            ),
            "es": (
                "Audita esta factura frente al correo siguiente: recalcula el total correcto línea por línea, enumera cada discrepancia con su importe, decide qué reclamaciones están justificadas y redacta la respuesta al proveedor.",
                "¿Coincide la factura con lo acordado por correo? Necesito el cálculo corregido, una tabla de diferencias y una recomendación: pagar, pagar parcialmente o retener.",
            ),
            "zh": (
                "请对照后面的邮件审核这张发票：逐行重新计算正确金额，列出每处差异及涉及金额，判断邮件中的哪些主张成立，并起草给供应商的回复。",
                "核对供应商的发票是否与邮件中约定的一致。我需要更正后的计算、差异对照表，以及建议：全额付款、部分付款还是暂缓付款。",
            ),
            "ja": (
                "以下のメールと照らし合わせてこの請求書を監査してください。正しい金額を明細ごとに再計算し、相違点と影響額を一覧にし、メールの主張のうち妥当なものを判断したうえで、仕入先への返信を起案してください。",
                "請求書がメールでの合意内容と一致しているか確認してください。訂正後の計算、相違点の表、そして「支払う・減額して支払う・保留する」のどれにすべきかの提言が必要です。",
            ),
        },
        _invoice_and_email,
        rows=4,
    ),
    Task(
        "extraction-pipeline-design",
        "complex",
        {
            "en": (
                "Design an extraction pipeline for 40,000 scanned supplier invoices a month in five languages: field schema, validation rules, confidence thresholds for human review, and how you'd measure accuracy.",
                "How should {company} extract renewal dates, liability caps and notice periods from 3,000 legacy contracts? Compare rules, an LLM and a hybrid on cost, accuracy and auditability, and recommend one with a rollout plan.",
                "We need to pull KYC fields out of scanned IDs and bank statements for {headcount} new clients a week under GDPR. Propose the architecture, the data-retention rules and the error budget.",
            ),
            "de": (
                "Entwirf eine Extraktionspipeline für 40.000 gescannte Lieferantenrechnungen pro Monat in fünf Sprachen: Feldschema, Validierungsregeln, Konfidenzschwellen für die manuelle Prüfung und wie du die Genauigkeit misst.",
                "Wie sollte {company} Verlängerungsdaten, Haftungsgrenzen und Kündigungsfristen aus 3.000 Altverträgen herausholen? Vergleiche Regeln, ein LLM und einen hybriden Ansatz nach Kosten, Genauigkeit und Prüfbarkeit und empfiehl einen mit Einführungsplan.",
                "Wir müssen KYC-Felder aus gescannten Ausweisen und Kontoauszügen für {headcount} Neukunden pro Woche DSGVO-konform erfassen. Schlag Architektur, Löschregeln und Fehlerbudget vor.",
            ),
            "fr": (
                "Conçois une chaîne d'extraction pour 40 000 factures fournisseurs scannées par mois en cinq langues : schéma des champs, règles de validation, seuils de confiance pour la relecture humaine et mesure de la précision.",
                "Comment {company} devrait-elle extraire dates de renouvellement, plafonds de responsabilité et préavis de 3 000 anciens contrats ? Compare règles, LLM et approche hybride (coût, précision, auditabilité) et recommande une option avec un plan de déploiement.",
                "Nous devons extraire les champs KYC de pièces d'identité et relevés bancaires scannés pour {headcount} nouveaux clients par semaine, dans le respect du RGPD. Propose l'architecture, les règles de conservation et le budget d'erreur.",
            ),
            "es": (
                "Diseña un sistema de extracción para 40.000 facturas de proveedores escaneadas al mes en cinco idiomas: esquema de campos, reglas de validación, umbrales de confianza para revisión humana y cómo medirías la precisión.",
                "¿Cómo debería {company} extraer fechas de renovación, límites de responsabilidad y preavisos de 3.000 contratos antiguos? Compara reglas, un LLM y un enfoque híbrido en coste, precisión y trazabilidad, y recomienda uno con plan de implantación.",
                "Tenemos que extraer datos KYC de DNI escaneados y extractos bancarios de {headcount} clientes nuevos por semana cumpliendo el RGPD. Propón la arquitectura, las reglas de conservación y el presupuesto de error.",
            ),
            "zh": (
                "为每月4万张、五种语言的扫描版供应商发票设计一套信息抽取流程：字段结构、校验规则、转人工复核的置信度阈值，以及如何衡量准确率。",
                "{company}要从3000份历史合同中提取续约日期、责任上限和通知期限，应该怎么做？请从成本、准确率和可审计性比较规则、大模型和混合方案，推荐一种并给出上线计划。",
                "我们每周要为{headcount}位新客户从扫描的身份证件和银行流水中提取KYC字段，并符合个人信息保护法。请给出系统架构、数据保留规则和误差预算。",
            ),
            "ja": (
                "5言語・月4万枚のスキャン済み仕入先請求書から項目を抽出する仕組みを設計してください。項目スキーマ、検証ルール、人手確認に回す信頼度の閾値、精度の測り方を含めて。",
                "{company}が既存契約3,000件から更新日・責任上限・通知期限を抽出するにはどうすべきでしょうか。ルール、LLM、ハイブリッドをコスト・精度・監査性で比較し、導入計画付きで1案を推奨してください。",
                "毎週{headcount}件の新規顧客について、本人確認書類と銀行明細のスキャンからKYC項目を個人情報保護法に沿って抽出したい。アーキテクチャ、保存ルール、許容誤差を提案してください。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("extraction", TASKS, rng)


FAMILY = Family(
    "extraction",
    "Pull fields out of pasted invoices, contracts, emails and notes; reconcile "
    "documents and design extraction pipelines",
    generate,
)
