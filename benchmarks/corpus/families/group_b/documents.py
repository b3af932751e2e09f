# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Pasted business documents shared by several families: e-mail threads and meeting notes, per language."""

from __future__ import annotations

import datetime
import random
import unicodedata

from benchmarks.corpus.families.group_b import banks

_HEADERS = {
    "en": ("From", "To", "Date", "Subject", "Hi {name},", "Best regards,"),
    "de": ("Von", "An", "Datum", "Betreff", "Hallo {name},", "Viele Grüße"),
    "fr": ("De", "À", "Date", "Objet", "Bonjour {name},", "Cordialement,"),
    "es": ("De", "Para", "Fecha", "Asunto", "Hola, {name}:", "Un saludo,"),
    "zh": ("发件人", "收件人", "日期", "主题", "{name}，您好：", "此致"),
    "ja": ("差出人", "宛先", "日付", "件名", "{name}様", "よろしくお願いいたします。"),
}
# Each topic is a thread: an opening message, a reply and a follow-up, with slots filled per thread.
_THREADS = {
    "en": [
        (
            "Delivery delay – PO {num}",
            [
                "I'm writing about purchase order {num} for 40 units of the {product}, which was due on {date}. Our warehouse in {city} still hasn't received anything and the tracking link shows no movement since last Tuesday. We have a customer rollout depending on this shipment, so I need a firm delivery date by the end of the week. If you can't commit to one, please tell me whether a partial delivery of 20 units is possible.",
                "Thanks for flagging this and apologies for the silence. Our supplier had a component shortage and the batch only left the factory yesterday. I can confirm 20 units will ship on Monday by express at our cost, and the remaining 20 should follow within ten working days. I've also asked finance to apply a 5% credit on the invoice ({amount}) for the inconvenience.",
                "Monday works for the first 20. Please send the express tracking number as soon as you have it. For the second half, I'd like that in writing, since our rollout plan will be built around it. Also, can you confirm the credit will appear on the original invoice rather than as a separate credit note? Our AP team handles those very differently.",
            ],
        ),
        (
            "Contract renewal {year}",
            [
                "Our annual service agreement expires at the end of next month and I wanted to start the renewal conversation early. Overall we've been happy with the platform, but the support response times in Q3 were below what the contract promises, twice missing the 4-hour SLA for priority tickets. Before we sign another year, we'd like to discuss pricing and what you'll do differently on support.",
                "Thank you for the candid feedback. You're right about Q3; we had two senior engineers leave and backfilled too slowly. For the renewal we can keep your price flat at {amount} per year instead of the 7% list increase, and add a named support engineer. We'd need a two-year term for that offer. Would a call next Thursday work to go through the details?",
                "A two-year term is possible, but only with an exit clause if the SLA is missed more than twice in any quarter. Thursday at 10:00 is fine for me; I'll bring {person2} from procurement. Please send the draft order form beforehand so we can review it internally.",
            ],
        ),
    ],
    "de": [
        (
            "Lieferverzug – Bestellung {num}",
            [
                "ich melde mich wegen unserer Bestellung {num} über 40 Stück {product}, die zum {date} zugesagt war. In unserem Lager in {city} ist bisher nichts angekommen, und die Sendungsverfolgung zeigt seit letztem Dienstag keine Bewegung. Von der Lieferung hängt ein Kundenprojekt ab, daher brauche ich bis Ende der Woche einen verbindlichen Liefertermin. Falls das nicht möglich ist, teilen Sie mir bitte mit, ob eine Teillieferung von 20 Stück machbar wäre.",
                "danke für den Hinweis, und entschuldigen Sie die späte Rückmeldung. Unser Vorlieferant hatte einen Engpass bei einem Bauteil, die Charge hat das Werk erst gestern verlassen. Ich kann Ihnen zusagen, dass 20 Stück am Montag per Express auf unsere Kosten rausgehen, die restlichen 20 folgen innerhalb von zehn Arbeitstagen. Außerdem habe ich die Buchhaltung gebeten, auf die Rechnung ({amount}) eine Gutschrift von 5 % zu gewähren.",
                "Montag passt für die ersten 20 Stück. Bitte schicken Sie mir die Sendungsnummer, sobald sie vorliegt. Den Termin für die zweite Hälfte hätte ich gern schriftlich, weil wir unseren Projektplan darauf aufbauen. Können Sie außerdem bestätigen, dass die Gutschrift direkt auf der ursprünglichen Rechnung erscheint und nicht als separate Gutschrift? Unsere Kreditorenbuchhaltung behandelt das sehr unterschiedlich.",
            ],
        ),
        (
            "Vertragsverlängerung {year}",
            [
                "unser Wartungsvertrag läuft Ende nächsten Monats aus, und ich möchte die Verlängerung frühzeitig besprechen. Insgesamt sind wir mit der Plattform zufrieden, aber die Reaktionszeiten im Support lagen im dritten Quartal unter dem vertraglich Zugesagten – zweimal wurde die 4-Stunden-Frist für Priorität-1-Tickets gerissen. Bevor wir ein weiteres Jahr unterschreiben, möchten wir über den Preis sprechen und darüber, was Sie im Support ändern.",
                "vielen Dank für die offenen Worte. Sie haben recht, was das dritte Quartal angeht: Uns haben zwei erfahrene Kollegen verlassen, und wir haben zu langsam nachbesetzt. Für die Verlängerung können wir den Preis bei {amount} pro Jahr halten statt der üblichen Erhöhung um 7 % und Ihnen einen festen Ansprechpartner im Support geben. Dafür bräuchten wir eine Laufzeit von zwei Jahren. Passt Ihnen ein Termin am Donnerstag?",
                "Zwei Jahre sind denkbar, aber nur mit Sonderkündigungsrecht, falls die SLA in einem Quartal mehr als zweimal verfehlt wird. Donnerstag um 10 Uhr passt mir; ich bringe {person2} aus dem Einkauf mit. Bitte schicken Sie uns das Angebot vorab, damit wir es intern prüfen können.",
            ],
        ),
    ],
    "fr": [
        (
            "Retard de livraison – commande {num}",
            [
                "je reviens vers vous au sujet de la commande {num} de 40 unités de {product}, prévue pour le {date}. Notre entrepôt de {city} n'a toujours rien reçu et le suivi n'indique aucun mouvement depuis mardi dernier. Un déploiement client dépend de cette livraison : j'ai besoin d'une date ferme d'ici la fin de la semaine. À défaut, merci de me dire si une livraison partielle de 20 unités est envisageable.",
                "merci pour votre message et toutes nos excuses pour ce silence. Notre fournisseur a connu une pénurie de composants et le lot n'a quitté l'usine qu'hier. Je vous confirme l'expédition de 20 unités lundi en express à nos frais ; les 20 restantes suivront sous dix jours ouvrés. J'ai également demandé à la comptabilité d'appliquer un avoir de 5 % sur la facture ({amount}).",
                "Lundi me convient pour les 20 premières. Merci de m'envoyer le numéro de suivi dès que possible. Pour la seconde moitié, j'aimerais un engagement écrit, car notre planning de déploiement en dépendra. Pouvez-vous aussi confirmer que la remise figurera sur la facture initiale et non sur un avoir séparé ? Notre service fournisseurs ne les traite pas du tout de la même façon.",
            ],
        ),
        (
            "Renouvellement du contrat {year}",
            [
                "notre contrat de service arrive à échéance à la fin du mois prochain et je souhaitais anticiper le renouvellement. Nous sommes globalement satisfaits de la plateforme, mais les délais du support au troisième trimestre n'ont pas respecté le contrat : le délai de 4 heures pour les tickets prioritaires a été dépassé à deux reprises. Avant de repartir pour un an, nous voudrions parler du prix et de vos mesures côté support.",
                "merci pour ce retour franc. Vous avez raison pour le T3 : deux ingénieurs expérimentés nous ont quittés et nous les avons remplacés trop lentement. Pour le renouvellement, nous pouvons maintenir votre tarif à {amount} par an au lieu de la hausse de 7 % et vous attribuer un ingénieur support dédié, à condition de partir sur deux ans. Un appel jeudi prochain vous conviendrait-il ?",
                "Deux ans, pourquoi pas, mais uniquement avec une clause de sortie si le SLA est manqué plus de deux fois dans un trimestre. Jeudi 10 h me va ; je viendrai avec {person2} des achats. Merci de nous envoyer le bon de commande en amont pour que nous puissions le relire en interne.",
            ],
        ),
    ],
    "es": [
        (
            "Retraso en la entrega – pedido {num}",
            [
                "te escribo por el pedido {num} de 40 unidades de {product}, que tenía fecha de entrega el {date}. A nuestro almacén de {city} todavía no ha llegado nada y el seguimiento no muestra movimiento desde el martes pasado. Tenemos un despliegue con un cliente que depende de este envío, así que necesito una fecha firme antes del viernes. Si no es posible, dime al menos si podéis hacer una entrega parcial de 20 unidades.",
                "gracias por avisar y perdona el silencio. Nuestro proveedor tuvo falta de un componente y el lote salió de fábrica ayer. Te confirmo que el lunes enviamos 20 unidades por urgente a nuestro cargo y que las otras 20 llegarán en un plazo de diez días hábiles. También he pedido a administración que aplique un descuento del 5% en la factura ({amount}) por las molestias.",
                "El lunes me vale para las primeras 20. Pásame el número de seguimiento en cuanto lo tengas. La fecha de la segunda mitad la quiero por escrito, porque vamos a planificar el despliegue en función de ella. ¿Me confirmas también que el descuento irá en la factura original y no en una factura rectificativa aparte? En cuentas a pagar las tratan de forma muy distinta.",
            ],
        ),
        (
            "Renovación del contrato {year}",
            [
                "nuestro contrato de servicio vence a finales del mes que viene y quería empezar a hablar de la renovación con tiempo. En general estamos contentos con la plataforma, pero en el tercer trimestre los tiempos de respuesta del soporte no cumplieron el contrato: dos veces se superó el plazo de 4 horas para incidencias prioritarias. Antes de firmar otro año queremos hablar del precio y de qué vais a cambiar en soporte.",
                "gracias por la sinceridad. Tienes razón con el tercer trimestre: se nos fueron dos ingenieros sénior y tardamos en cubrir las vacantes. Para la renovación podemos mantener el precio en {amount} al año en lugar de la subida del 7% y asignaros un ingeniero de soporte dedicado, siempre que sea a dos años. ¿Te va bien una llamada el jueves?",
                "Dos años podría ser, pero solo con una cláusula de salida si el SLA se incumple más de dos veces en un trimestre. El jueves a las 10:00 me va bien; vendré con {person2}, de compras. Mandadnos antes el borrador del pedido para revisarlo internamente.",
            ],
        ),
    ],
    "zh": [
        (
            "关于采购单{num}延迟交货",
            [
                "关于采购单{num}（{product}，共40台），原定交货日期为{date}。目前我们{city}仓库仍未收到任何货物，物流信息自上周二起就没有更新。我们有一个客户项目依赖这批货，请在本周五前给出明确的交货日期。如果无法确定，请告知能否先发20台。",
                "感谢提醒，也抱歉回复晚了。我们的上游供应商出现零部件短缺，这批货昨天才出厂。可以确认周一先用快递发出20台，运费由我方承担，剩余20台将在十个工作日内发出。另外我已请财务在发票（{amount}）上给予5%的折让，作为补偿。",
                "周一发20台可以。拿到快递单号后请第一时间发给我。第二批的交期请书面确认，我们的上线计划会以此为准。另外请确认折让是直接体现在原发票上，而不是另开红字发票？我们应付组对这两种情况的处理方式完全不同。",
            ],
        ),
        (
            "{year}年合同续签",
            [
                "我们的年度服务合同下个月底到期，想提前沟通续签事宜。总体来说我们对平台比较满意，但第三季度的技术支持响应时间没有达到合同约定，优先级工单两次超过了4小时的时限。在续签之前，我们希望谈一下价格，以及贵方在支持方面会做哪些改进。",
                "感谢您坦诚的反馈。第三季度的问题确实存在：我们走了两位资深工程师，补招太慢。续签方面，我们可以把价格维持在每年{amount}，不执行7%的标准涨价，并为贵司指定专属支持工程师，但需要签两年。下周四方便通个电话吗？",
                "两年可以考虑，但必须加上退出条款：任一季度SLA未达标超过两次，我方可提前解约。周四上午10点可以，我会和采购部的{person2}一起参加。请提前把订单草稿发给我们做内部审核。",
            ],
        ),
    ],
    "ja": [
        (
            "発注番号{num}の納期遅延について",
            [
                "発注番号{num}（{product} 40台）の件でご連絡いたします。納期は{date}とのことでしたが、{city}の倉庫にはまだ何も届いておらず、配送状況も先週火曜日から更新されていません。お客様への導入がこの納品に左右されるため、今週金曜日までに確定した納期をご回答いただけますでしょうか。難しい場合は、20台だけ先に分納いただけるかお知らせください。",
                "ご連絡ありがとうございます。返信が遅くなり申し訳ございません。部品メーカーで欠品が発生し、ロットが昨日ようやく工場を出荷されました。まず20台を月曜日に弊社負担の速達で発送し、残り20台は10営業日以内にお届けいたします。また、ご迷惑をおかけしたお詫びとして、請求書（{amount}）から5%値引きするよう経理に依頼しました。",
                "月曜日に20台で問題ありません。追跡番号が分かり次第お送りください。残り20台の納期は、導入計画の前提になるため書面でいただけますか。また、値引きは元の請求書に反映されるのか、別途赤伝になるのかもご確認ください。買掛金チームで処理方法が大きく異なります。",
            ],
        ),
        (
            "{year}年度 契約更新の件",
            [
                "現在の年間保守契約が来月末で満了となるため、早めに更新のご相談をさせてください。プラットフォーム自体には概ね満足していますが、第3四半期のサポート対応時間は契約を下回り、優先度の高いチケットで4時間以内の対応が2回守られませんでした。もう1年契約する前に、価格とサポート体制の改善策についてお話ししたいと考えています。",
                "率直なご意見をありがとうございます。第3四半期についてはご指摘のとおりで、ベテランのエンジニアが2名退職し、補充が遅れました。更新にあたっては、通常7%の値上げのところ年額{amount}に据え置き、専任のサポート担当者をお付けします。ただし2年契約が条件となります。来週木曜日にお打ち合わせはいかがでしょうか。",
                "2年契約も検討できますが、四半期にSLA未達が2回を超えた場合の中途解約条項が前提です。木曜日10時で問題ありません。購買部の{person2}も同席します。社内で確認したいので、事前に注文書の案をお送りください。",
            ],
        ),
    ],
}


_LATIN = ("en", "de", "fr", "es")


def _mailbox(person: str, company: str) -> str:
    """firstname.lastname@company.com, ASCII only, as mail servers write it."""
    ascii_ = unicodedata.normalize("NFKD", f"{person}|{company}").encode("ascii", "ignore").decode().lower()
    name, firm = ascii_.split("|")
    return f"{'.'.join(name.replace(chr(39), '').split())}@{''.join(ch for ch in firm.split()[0] if ch.isalnum())}.com"


def email_thread(rng: random.Random, lang: str) -> str:
    """A three-message thread (newest last) between a customer and a supplier, 200-400 words."""
    labels = _HEADERS[lang]
    subject, bodies = rng.choice(_THREADS[lang])
    customer, supplier, other = rng.sample(banks.PEOPLE[lang], 3)
    customer_co, supplier_co = rng.sample(banks.COMPANIES[lang], 2)
    values = {
        "num": str(rng.randint(4500000, 4599999)),
        "product": rng.choice(banks.PRODUCTS[lang]),
        "date": banks.date(rng, lang),
        "city": rng.choice(banks.CITIES[lang]),
        "amount": banks.amount(rng, lang),
        "year": str(rng.choice((2026, 2027))),
        "person2": other,
    }
    day = banks.random_day(rng)
    senders = [(customer, customer_co, supplier), (supplier, supplier_co, customer), (customer, customer_co, supplier)]
    parts = []
    for i, (body, (sender, company, recipient)) in enumerate(zip(bodies, senders, strict=True)):
        prefix = "" if i == 0 else ("Re: " if lang not in ("zh", "ja") else "回复：" if lang == "zh" else "Re: ")
        address = f" <{_mailbox(sender, company)}>" if lang in _LATIN else ""
        sent = banks.format_date(day + datetime.timedelta(days=i), lang)
        head = f"{labels[0]}: {sender}{address}\n{labels[1]}: {recipient}\n{labels[2]}: {sent}\n{labels[3]}: {prefix}{subject.format(**values)}"
        greeting = labels[4].format(name=recipient.split()[0] if lang in ("en", "de", "fr", "es") else recipient)
        parts.append(f"{head}\n\n{greeting}\n\n{body.format(**values)}\n\n{labels[5]}\n{sender}\n{company}")
    return "\n\n-----\n\n".join(reversed(parts))  # mail clients quote the newest message on top


_NOTES = {
    "en": (
        "Meeting notes – {topic}",
        "Date",
        "Attendees",
        "Decisions",
        "Action items",
        "by",
        ["Q3 supplier review", "website relaunch", "office move", "ERP upgrade"],
        [
            "Agreed to move the go-live to {date} because of the data-migration backlog",
            "Budget for external QA capped at {amount}",
            "Weekly status call moves to Tuesdays 9:00",
            "Vendor shortlist reduced to two: {company} and {company2}",
            "Legal must review the DPA before any customer data is shared",
            "Pilot group will be the {city} office (about 40 users)",
        ],
        [
            "send the revised timeline to the steering committee",
            "collect quotes for load testing",
            "book the training room for the pilot users",
            "draft the customer announcement",
            "check licence counts with IT",
            "confirm the cut-over weekend with operations",
        ],
    ),
    "de": (
        "Protokoll – {topic}",
        "Datum",
        "Teilnehmende",
        "Beschlüsse",
        "Aufgaben",
        "bis",
        ["Lieferantenrunde Q3", "Relaunch der Website", "Büroumzug", "ERP-Umstellung"],
        [
            "Go-live wird wegen der offenen Datenmigration auf den {date} verschoben",
            "Budget für externe Tests auf {amount} gedeckelt",
            "Der wöchentliche Statustermin wandert auf dienstags 9 Uhr",
            "Shortlist auf zwei Anbieter reduziert: {company} und {company2}",
            "Vor Weitergabe von Kundendaten muss die Rechtsabteilung den AV-Vertrag prüfen",
            "Pilotstandort wird {city} (rund 40 Nutzer)",
        ],
        [
            "überarbeiteten Zeitplan an den Lenkungskreis schicken",
            "Angebote für Lasttests einholen",
            "Schulungsraum für die Pilotnutzer buchen",
            "Kundenankündigung entwerfen",
            "Lizenzzahlen mit der IT abgleichen",
            "Umstellungswochenende mit dem Betrieb bestätigen",
        ],
    ),
    "fr": (
        "Compte rendu – {topic}",
        "Date",
        "Participants",
        "Décisions",
        "Actions",
        "pour le",
        ["revue fournisseurs T3", "refonte du site web", "déménagement des bureaux", "migration ERP"],
        [
            "Mise en production décalée au {date} à cause du retard de migration des données",
            "Budget de recette externe plafonné à {amount}",
            "Le point hebdo passe au mardi 9 h",
            "Liste restreinte à deux prestataires : {company} et {company2}",
            "Le juridique doit valider l'accord de traitement des données avant tout partage",
            "Site pilote : {city} (environ 40 utilisateurs)",
        ],
        [
            "envoyer le planning révisé au comité de pilotage",
            "demander des devis pour les tests de charge",
            "réserver la salle de formation pour les pilotes",
            "rédiger l'annonce clients",
            "vérifier le nombre de licences avec la DSI",
            "confirmer le week-end de bascule avec l'exploitation",
        ],
    ),
    "es": (
        "Acta de reunión – {topic}",
        "Fecha",
        "Asistentes",
        "Decisiones",
        "Tareas",
        "antes del",
        ["revisión de proveedores Q3", "relanzamiento de la web", "mudanza de oficina", "migración del ERP"],
        [
            "El arranque se retrasa al {date} por el atasco en la migración de datos",
            "Presupuesto de pruebas externas limitado a {amount}",
            "La reunión semanal pasa a los martes a las 9:00",
            "Lista corta reducida a dos proveedores: {company} y {company2}",
            "Jurídico debe revisar el contrato de encargo de tratamiento antes de compartir datos de clientes",
            "La oficina piloto será {city} (unos 40 usuarios)",
        ],
        [
            "enviar el calendario revisado al comité de dirección",
            "pedir presupuestos de pruebas de carga",
            "reservar la sala de formación para el piloto",
            "redactar el aviso a clientes",
            "revisar el número de licencias con sistemas",
            "confirmar con operaciones el fin de semana del cambio",
        ],
    ),
    "zh": (
        "会议纪要——{topic}",
        "日期",
        "参会人",
        "决议",
        "待办事项",
        "截止",
        ["第三季度供应商评审", "官网改版", "办公室搬迁", "ERP升级"],
        [
            "因数据迁移积压，上线日期推迟到{date}",
            "外部测试预算上限为{amount}",
            "每周例会改到周二上午9点",
            "候选供应商缩减为两家：{company}和{company2}",
            "共享客户数据前须由法务审核数据处理协议",
            "试点选在{city}办公室（约40名用户）",
        ],
        [
            "把修订后的时间表发给指导委员会",
            "收集压测报价",
            "为试点用户预订培训室",
            "起草客户公告",
            "与IT核对许可证数量",
            "与运维确认切换周末",
        ],
    ),
    "ja": (
        "議事録：{topic}",
        "日付",
        "出席者",
        "決定事項",
        "アクションアイテム",
        "期限",
        ["第3四半期サプライヤーレビュー", "Webサイトリニューアル", "オフィス移転", "ERP刷新"],
        [
            "データ移行の遅れにより本番稼働を{date}に延期",
            "外部テストの予算上限を{amount}とする",
            "週次定例を火曜9時に変更",
            "候補ベンダーを{company}と{company2}の2社に絞る",
            "顧客データを共有する前に法務が委託契約を確認する",
            "パイロット拠点は{city}オフィス（約40名）",
        ],
        [
            "改訂スケジュールをステアリングコミッティに送付",
            "負荷試験の見積もりを取得",
            "パイロットユーザー向けに研修室を予約",
            "顧客向け告知文の草案作成",
            "ライセンス数を情報システム部と確認",
            "切り替え週末を運用チームと確定",
        ],
    ),
}


def meeting_notes(rng: random.Random, lang: str) -> str:
    """Minutes with attendees, four decisions and four owned, dated action items."""
    title, date_l, people_l, decisions_l, actions_l, by, topics, decisions, actions = _NOTES[lang]
    people = rng.sample(banks.PEOPLE[lang], 5)
    company, company2 = rng.sample(banks.COMPANIES[lang], 2)
    held = banks.random_day(rng)

    def later(low: int, high: int) -> str:
        return banks.format_date(held + datetime.timedelta(days=rng.randint(low, high)), lang)

    values = {
        "date": later(30, 90),
        "amount": banks.amount(rng, lang),
        "company": company,
        "company2": company2,
        "city": rng.choice(banks.CITIES[lang]),
    }
    sep = "、" if lang in ("zh", "ja") else ", "
    lines = [
        title.format(topic=rng.choice(topics)),
        f"{date_l}: {banks.format_date(held, lang)}",
        f"{people_l}: {sep.join(people)}",
        "",
        f"{decisions_l}:",
    ]
    lines += [f"- {d.format(**values)}" for d in rng.sample(decisions, 4)]
    lines += ["", f"{actions_l}:"]
    lines += [f"- {rng.choice(people)}: {a} ({by} {later(3, 21)})" for a in rng.sample(actions, 4)]
    return "\n".join(lines)
