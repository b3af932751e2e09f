# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""Pasted business emails and support tickets, native in each language (150-400 words once filled)."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_a.banks import Slots

_HEADER = {
    "en": "From: {person} <{mail}>\nTo: {person2}\nDate: {date}\nSubject: {subject}\n\n",
    "de": "Von: {person} <{mail}>\nAn: {person2}\nDatum: {date}\nBetreff: {subject}\n\n",
    "fr": "De : {person} <{mail}>\nÀ : {person2}\nDate : {date}\nObjet : {subject}\n\n",
    "es": "De: {person} <{mail}>\nPara: {person2}\nFecha: {date}\nAsunto: {subject}\n\n",
    "zh": "发件人：{person} <{mail}>\n收件人：{person2}\n日期：{date}\n主题：{subject}\n\n",
    "ja": "差出人: {person} <{mail}>\n宛先: {person2}\n日付: {date}\n件名: {subject}\n\n",
}

# (subject, body) per language; each body mentions dates, amounts and references a reader could extract.
_EMAILS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (
            "Delay on order {order}",
            'Hi {person2},\n\nI\'m writing about purchase order {order}, which we placed with {company2} on {date2}. The confirmation promised delivery to our {city} warehouse within ten working days, but the shipment has not arrived and the tracking page has shown "in transit" for a week.\n\nThis is now holding up our own deliveries to two retail customers. Could you tell me by Friday where the goods are and give me a firm delivery date? If the order cannot be delivered in full before the end of the month, we would like to receive the 40 units that are ready and have the remainder invoiced separately.\n\nPlease also note that the invoice {invoice} for {amount} was issued before shipment, which contradicts our payment terms (30 days after receipt of goods). We will hold payment until the delivery is complete.\n\nBest regards,\n{person}\nPurchasing, {company}',
        ),
        (
            "Renewal of our service agreement",
            "Dear {person2},\n\nOur service agreement with {company2} expires on {date}. Before we decide on renewal, our finance team has asked me to clarify three points.\n\nFirst, the renewal quote lists an annual fee of {amount2}, up from {amount} last year. Is this increase of roughly {percent}% final, or is there room to negotiate if we commit to a three-year term?\n\nSecond, the current contract includes 20 hours of on-site support per quarter. We only used six hours last year, so we would prefer to convert the unused hours into remote support or training.\n\nThird, we need the data processing addendum updated to reflect the new EU standard contractual clauses.\n\nCould we schedule a call next week? I'm available Tuesday or Thursday afternoon.\n\nKind regards,\n{person}\n{team}, {company}",
        ),
        (
            "Question about invoice {invoice}",
            "Hello {person2},\n\nthanks for sending invoice {invoice} dated {date}. When checking it against our purchase order {order}, I noticed a few differences:\n\n- the unit price for item 3 is listed as 18.40 instead of the agreed 16.90;\n- freight of 240.00 was charged although the order was placed with free delivery;\n- the total of {amount} does not include the {percent}% early-payment discount mentioned in your offer.\n\nCould you please send a corrected invoice? Our payment run is on the 15th, and I would like to include it.\n\nIf anything on our side is wrong, just let me know which document I should look at.\n\nCheers,\n{person}\nAccounts Payable | {company} | {city}",
        ),
    ),
    "de": (
        (
            "Lieferverzug Bestellung {order}",
            'Hallo {person2},\n\nes geht um unsere Bestellung {order} vom {date2} bei {company2}. In der Auftragsbestätigung wurde uns die Lieferung an unser Lager in {city} innerhalb von zehn Werktagen zugesagt. Die Ware ist bis heute nicht eingetroffen, und die Sendungsverfolgung zeigt seit einer Woche nur "unterwegs".\n\nDadurch verzögern sich inzwischen auch unsere Lieferungen an zwei Handelskunden. Können Sie mir bis Freitag mitteilen, wo sich die Ware befindet, und einen verbindlichen Liefertermin nennen? Falls die Bestellung nicht bis Monatsende vollständig geliefert werden kann, nehmen wir gern die 40 fertigen Einheiten vorab und bitten um eine separate Rechnung für den Rest.\n\nAußerdem wurde die Rechnung {invoice} über {amount} schon vor dem Versand gestellt. Das widerspricht unseren Zahlungsbedingungen (30 Tage nach Wareneingang). Wir halten die Zahlung daher bis zur vollständigen Lieferung zurück.\n\nViele Grüße\n{person}\nEinkauf, {company}',
        ),
        (
            "Verlängerung des Wartungsvertrags",
            "Sehr geehrte/r {person2},\n\nunser Wartungsvertrag mit {company2} läuft am {date} aus. Bevor wir über die Verlängerung entscheiden, bittet mich unsere Finanzabteilung, drei Punkte zu klären.\n\nErstens: Im Verlängerungsangebot steht eine Jahresgebühr von {amount2}, im Vorjahr waren es {amount}. Ist diese Erhöhung um etwa {percent} % endgültig, oder gibt es Spielraum bei einer Laufzeit von drei Jahren?\n\nZweitens: Der Vertrag enthält 20 Stunden Vor-Ort-Support pro Quartal. Wir haben im letzten Jahr nur sechs Stunden genutzt und würden die übrigen Stunden gern in Remote-Support oder Schulungen umwandeln.\n\nDrittens muss die Auftragsverarbeitungsvereinbarung an die neuen EU-Standardvertragsklauseln angepasst werden.\n\nKönnen wir nächste Woche telefonieren? Dienstag oder Donnerstag nachmittags passt mir.\n\nMit freundlichen Grüßen\n{person}\n{team}, {company}",
        ),
        (
            "Rückfrage zur Rechnung {invoice}",
            "Hallo {person2},\n\ndanke für die Rechnung {invoice} vom {date}. Beim Abgleich mit unserer Bestellung {order} sind mir einige Abweichungen aufgefallen:\n\n- Der Stückpreis für Position 3 beträgt 18,40 statt der vereinbarten 16,90;\n- es wurden 240,00 Fracht berechnet, obwohl frei Haus bestellt wurde;\n- der Gesamtbetrag von {amount} enthält nicht die im Angebot genannten {percent} % Skonto.\n\nKönnten Sie mir bitte eine korrigierte Rechnung schicken? Unser Zahllauf ist am 15., und ich würde sie gern mit aufnehmen.\n\nFalls auf unserer Seite etwas nicht stimmt, sagen Sie mir bitte, welches Dokument ich prüfen soll.\n\nBeste Grüße\n{person}\nKreditorenbuchhaltung | {company} | {city}",
        ),
    ),
    "fr": (
        (
            "Retard de livraison – commande {order}",
            "Bonjour {person2},\n\nJe reviens vers vous au sujet de la commande {order} passée auprès de {company2} le {date2}. La confirmation prévoyait une livraison à notre entrepôt de {city} sous dix jours ouvrés, mais la marchandise n'est toujours pas arrivée et le suivi indique « en transit » depuis une semaine.\n\nCe retard bloque désormais nos propres livraisons à deux clients de la grande distribution. Pourriez-vous m'indiquer d'ici vendredi où se trouve la marchandise et me donner une date de livraison ferme ? Si la commande ne peut pas être livrée en totalité avant la fin du mois, nous acceptons de recevoir les 40 unités déjà prêtes et que le reste soit facturé séparément.\n\nPar ailleurs, la facture {invoice} d'un montant de {amount} a été émise avant l'expédition, ce qui est contraire à nos conditions de paiement (30 jours après réception). Nous suspendons donc le règlement jusqu'à la livraison complète.\n\nCordialement,\n{person}\nService achats, {company}",
        ),
        (
            "Renouvellement du contrat de maintenance",
            "Madame, Monsieur,\n\nNotre contrat de maintenance avec {company2} arrive à échéance le {date}. Avant de décider du renouvellement, notre direction financière m'a demandé de clarifier trois points.\n\nPremièrement, le devis de renouvellement indique une redevance annuelle de {amount2}, contre {amount} l'an dernier. Cette hausse d'environ {percent} % est-elle définitive, ou peut-on la négocier en contrepartie d'un engagement sur trois ans ?\n\nDeuxièmement, le contrat actuel comprend 20 heures d'assistance sur site par trimestre. Nous n'en avons utilisé que six l'an dernier et souhaiterions convertir les heures restantes en assistance à distance ou en formation.\n\nTroisièmement, l'accord de traitement des données doit être mis à jour selon les nouvelles clauses contractuelles types de l'UE.\n\nPourrions-nous en parler la semaine prochaine ? Je suis disponible mardi ou jeudi après-midi.\n\nBien cordialement,\n{person}\n{team}, {company}",
        ),
        (
            "Question sur la facture {invoice}",
            "Bonjour {person2},\n\nMerci pour la facture {invoice} du {date}. En la rapprochant de notre bon de commande {order}, j'ai relevé plusieurs écarts :\n\n- le prix unitaire de la ligne 3 est de 18,40 au lieu des 16,90 convenus ;\n- des frais de port de 240,00 ont été facturés alors que la commande était franco ;\n- le total de {amount} ne tient pas compte de l'escompte de {percent} % prévu dans votre offre.\n\nPourriez-vous m'envoyer une facture rectifiée ? Notre campagne de paiement a lieu le 15 et j'aimerais l'y inclure.\n\nSi l'erreur vient de chez nous, dites-moi quel document je dois vérifier.\n\nBonne journée,\n{person}\nComptabilité fournisseurs | {company} | {city}",
        ),
    ),
    "es": (
        (
            "Retraso en el pedido {order}",
            "Hola, {person2}:\n\nTe escribo por el pedido {order} que hicimos a {company2} el {date2}. En la confirmación se nos prometió la entrega en nuestro almacén de {city} en un plazo de diez días hábiles, pero la mercancía aún no ha llegado y el seguimiento lleva una semana marcando «en tránsito».\n\nEsto ya está retrasando nuestras propias entregas a dos clientes minoristas. ¿Podrías decirme antes del viernes dónde está la mercancía y darme una fecha de entrega en firme? Si el pedido no puede entregarse completo antes de fin de mes, aceptaríamos recibir las 40 unidades que ya están listas y que el resto se facture aparte.\n\nAdemás, la factura {invoice} por {amount} se emitió antes del envío, lo que contradice nuestras condiciones de pago (30 días desde la recepción). Retendremos el pago hasta que la entrega esté completa.\n\nUn saludo,\n{person}\nCompras, {company}",
        ),
        (
            "Renovación del contrato de servicio",
            "Estimado/a {person2}:\n\nNuestro contrato de servicio con {company2} vence el {date}. Antes de decidir la renovación, el departamento financiero me pide aclarar tres puntos.\n\nPrimero, la oferta de renovación indica una cuota anual de {amount2}, frente a {amount} el año pasado. ¿Es definitivo este aumento de aproximadamente un {percent} %, o hay margen de negociación si nos comprometemos a tres años?\n\nSegundo, el contrato actual incluye 20 horas de soporte presencial por trimestre. El año pasado solo usamos seis, así que preferiríamos convertir las horas no utilizadas en soporte remoto o formación.\n\nTercero, necesitamos actualizar el acuerdo de tratamiento de datos con las nuevas cláusulas contractuales tipo de la UE.\n\n¿Podemos hablar la semana que viene? Tengo disponibilidad el martes o el jueves por la tarde.\n\nAtentamente,\n{person}\n{team}, {company}",
        ),
        (
            "Consulta sobre la factura {invoice}",
            "Hola, {person2}:\n\nGracias por enviar la factura {invoice} con fecha {date}. Al cotejarla con nuestra orden de compra {order}, he visto algunas diferencias:\n\n- el precio unitario de la línea 3 figura como 18,40 en lugar de los 16,90 acordados;\n- se han cobrado 240,00 de portes aunque el pedido era con envío gratuito;\n- el total de {amount} no incluye el descuento por pronto pago del {percent} % de vuestra oferta.\n\n¿Podríais enviarme una factura rectificada? Nuestra remesa de pagos es el día 15 y me gustaría incluirla.\n\nSi el error es nuestro, decidme qué documento debo revisar.\n\nSaludos,\n{person}\nCuentas a pagar | {company} | {city}",
        ),
    ),
    "zh": (
        (
            "关于订单{order}延迟交货",
            "{person2}您好：\n\n我们于{date2}向{company2}下了采购订单{order}。订单确认书承诺在十个工作日内送达我们{city}的仓库，但货物至今未到，物流页面已经连续一周显示“运输中”。\n\n这已经影响到我们对两家零售客户的交货。请您在本周五前告知货物的具体位置，并给出确定的到货日期。如果月底前无法全部交货，我们可以先接收已备好的40台，其余部分单独开票。\n\n另外，金额为{amount}的发票{invoice}在发货前就已开具，这与我们的付款条件（收货后30天付款）不符。在全部交货之前，我们将暂缓付款。\n\n此致\n{person}\n{company} 采购部",
        ),
        (
            "服务合同续签事宜",
            "{person2}您好：\n\n我们与{company2}签订的服务合同将于{date}到期。在决定是否续签之前，财务部门希望我先确认以下三点。\n\n第一，续签报价中的年费为{amount2}，去年为{amount}。约{percent}%的涨幅是否为最终价格？如果我们签三年合同，是否还有议价空间？\n\n第二，现有合同每季度包含20小时的现场支持，去年我们只用了6小时。我们希望把未使用的小时数转为远程支持或培训。\n\n第三，数据处理协议需要按照欧盟新版标准合同条款进行更新。\n\n下周能否约个电话沟通？我周二或周四下午都有空。\n\n祝好\n{person}\n{company} {team}",
        ),
        (
            "发票{invoice}的疑问",
            "{person2}您好：\n\n感谢寄来日期为{date}的发票{invoice}。我将其与我方采购订单{order}核对后，发现以下几处差异：\n\n- 第3项的单价为18.40，而约定价格是16.90；\n- 订单约定包邮，但发票上收取了240.00的运费；\n- 总金额{amount}未扣除贵司报价中提到的{percent}%提前付款折扣。\n\n麻烦重新开具一张更正后的发票。我们的付款日是每月15日，希望能赶上这一批。\n\n如果是我方有误，请告诉我需要核对哪份单据。\n\n谢谢！\n{person}\n{company} 应付账款组 | {city}",
        ),
    ),
    "ja": (
        (
            "発注番号{order}の納品遅延について",
            "{person2}様\n\nいつもお世話になっております。{date2}に{company2}様へ発注いたしました注文{order}の件でご連絡いたします。注文請書では10営業日以内に弊社{city}倉庫へ納品いただけるとのことでしたが、本日時点で未着であり、配送状況も1週間「輸送中」のままとなっております。\n\nこの影響で、弊社から小売のお客様2社への納品にも遅れが出始めております。金曜日までに貨物の現在地と確定納期をご連絡いただけますでしょうか。月末までに全数の納品が難しい場合は、準備済みの40台を先行して納品いただき、残りは別請求としていただいて構いません。\n\nまた、請求書{invoice}（{amount}）が出荷前に発行されておりますが、弊社の支払条件（検収後30日）と異なります。全数納品まではお支払いを保留させていただきます。\n\nよろしくお願いいたします。\n{company} 購買部\n{person}",
        ),
        (
            "保守契約の更新について",
            "{person2}様\n\nお世話になっております。{company2}様との保守契約が{date}に満了いたします。更新の判断にあたり、経理部より以下3点の確認を求められております。\n\n1点目：更新見積では年間費用が{amount2}となっており、昨年の{amount}から約{percent}%の値上げとなっています。こちらは確定でしょうか。3年契約とした場合に調整の余地はございますか。\n\n2点目：現契約には四半期ごとに20時間のオンサイト支援が含まれていますが、昨年の利用は6時間のみでした。未使用分をリモート支援または研修に振り替えたいと考えております。\n\n3点目：データ処理契約をEUの新しい標準契約条項に合わせて更新する必要があります。\n\n来週お電話でご相談できますでしょうか。火曜日か木曜日の午後であれば調整可能です。\n\n何卒よろしくお願いいたします。\n{company} {team}\n{person}",
        ),
        (
            "請求書{invoice}に関するお問い合わせ",
            "{person2}様\n\n{date}付の請求書{invoice}をお送りいただきありがとうございます。弊社の発注書{order}と照合したところ、以下の相違がございました。\n\n・3行目の単価が、合意済みの16.90ではなく18.40となっている\n・送料無料での発注にもかかわらず、送料240.00が計上されている\n・合計{amount}に、お見積書記載の早期支払割引{percent}%が反映されていない\n\n恐れ入りますが、訂正後の請求書をお送りいただけますでしょうか。弊社の支払処理は15日のため、それに間に合わせたく存じます。\n\n弊社側の誤りでしたら、確認すべき書類をお知らせください。\n\n{company} 経理部（{city}）\n{person}",
        ),
    ),
}

_TICKETS: dict[str, tuple[str, ...]] = {
    "en": (
        "Ticket {ticket} | Customer: {person} ({company}) | Channel: email\n\nHi, we were charged twice for {product} this month ({amount} on the 3rd and again on the 5th). Our card statement shows both. Please refund the duplicate and confirm when it will be back on the card. We've been customers for four years and this is the second time this happened.",
        'Ticket {ticket} | Customer: {person} ({company}) | Priority: high\n\nSince this morning none of our users in {city} can log in. The SSO page loads, they enter their credentials, and then get "Error 502 - upstream unavailable". Our admin already cleared the cache and tried three browsers. About 60 people are blocked. Please escalate.',
        "Ticket {ticket} | From: {person}\n\nHow do I change the email address on our account? {person2} left the company and all invoices still go to her inbox. I tried Settings > Profile but the field is greyed out.",
        "Ticket {ticket} | Customer: {person} | Channel: chat transcript\n\nCustomer: the export to CSV just spins forever\nAgent: which report?\nCustomer: monthly sales, any month after March\nAgent: how many rows roughly?\nCustomer: maybe 200k? it worked fine last quarter. we need it for the board pack on {date}",
    ),
    "de": (
        "Ticket {ticket} | Kunde: {person} ({company}) | Kanal: E-Mail\n\nHallo, uns wurde {product} diesen Monat doppelt abgebucht ({amount} am 3. und noch einmal am 5.). Beide Buchungen stehen auf der Kreditkartenabrechnung. Bitte erstatten Sie die doppelte Zahlung und sagen Sie mir, wann das Geld zurück ist. Wir sind seit vier Jahren Kunden, und das passiert zum zweiten Mal.",
        'Ticket {ticket} | Kunde: {person} ({company}) | Priorität: hoch\n\nSeit heute früh kann sich niemand an unserem Standort {city} mehr anmelden. Die SSO-Seite lädt, nach Eingabe der Zugangsdaten erscheint "Error 502 - upstream unavailable". Unser Admin hat den Cache geleert und drei Browser getestet. Rund 60 Leute können nicht arbeiten. Bitte eskalieren.',
        "Ticket {ticket} | Von: {person}\n\nWie ändere ich die E-Mail-Adresse unseres Kontos? {person2} hat das Unternehmen verlassen, und alle Rechnungen gehen noch an ihr Postfach. Unter Einstellungen > Profil ist das Feld ausgegraut.",
        "Ticket {ticket} | Kunde: {person} | Kanal: Chatprotokoll\n\nKunde: der CSV-Export lädt einfach endlos\nAgent: welcher Bericht?\nKunde: Monatsumsatz, jeder Monat nach März\nAgent: wie viele Zeilen ungefähr?\nKunde: vielleicht 200.000? letztes Quartal ging es noch. wir brauchen das für die Vorstandsunterlagen am {date}",
    ),
    "fr": (
        "Ticket {ticket} | Client : {person} ({company}) | Canal : e-mail\n\nBonjour, nous avons été prélevés deux fois pour {product} ce mois-ci ({amount} le 3 puis de nouveau le 5). Les deux débits figurent sur le relevé de carte. Merci de rembourser le doublon et de me dire quand il sera recrédité. Nous sommes clients depuis quatre ans et c'est la deuxième fois.",
        "Ticket {ticket} | Client : {person} ({company}) | Priorité : haute\n\nDepuis ce matin, plus aucun utilisateur de notre site de {city} ne peut se connecter. La page SSO s'affiche, ils saisissent leurs identifiants puis obtiennent « Error 502 - upstream unavailable ». Notre admin a vidé le cache et testé trois navigateurs. Environ 60 personnes sont bloquées. Merci d'escalader.",
        "Ticket {ticket} | De : {person}\n\nComment changer l'adresse e-mail de notre compte ? {person2} a quitté l'entreprise et toutes les factures arrivent encore dans sa boîte. Dans Paramètres > Profil, le champ est grisé.",
        "Ticket {ticket} | Client : {person} | Canal : transcription de chat\n\nClient : l'export CSV tourne dans le vide\nAgent : quel rapport ?\nClient : ventes mensuelles, n'importe quel mois après mars\nAgent : combien de lignes à peu près ?\nClient : peut-être 200 000 ? ça marchait le trimestre dernier. on en a besoin pour le conseil du {date}",
    ),
    "es": (
        "Ticket {ticket} | Cliente: {person} ({company}) | Canal: correo\n\nHola, este mes nos han cobrado dos veces {product} ({amount} el día 3 y otra vez el 5). Los dos cargos aparecen en el extracto de la tarjeta. Por favor, devolved el cargo duplicado y confirmadme cuándo se abonará. Somos clientes desde hace cuatro años y es la segunda vez que pasa.",
        'Ticket {ticket} | Cliente: {person} ({company}) | Prioridad: alta\n\nDesde esta mañana ningún usuario de nuestra sede de {city} puede iniciar sesión. La página de SSO carga, introducen sus credenciales y aparece "Error 502 - upstream unavailable". Nuestro administrador ya borró la caché y probó tres navegadores. Hay unas 60 personas bloqueadas. Por favor, escalad el caso.',
        "Ticket {ticket} | De: {person}\n\n¿Cómo cambio el correo de nuestra cuenta? {person2} dejó la empresa y todas las facturas siguen llegando a su buzón. En Configuración > Perfil el campo aparece deshabilitado.",
        "Ticket {ticket} | Cliente: {person} | Canal: transcripción de chat\n\nCliente: la exportación a CSV se queda cargando\nAgente: ¿qué informe?\nCliente: ventas mensuales, cualquier mes después de marzo\nAgente: ¿cuántas filas más o menos?\nCliente: ¿200.000? el trimestre pasado funcionaba. lo necesitamos para el consejo del {date}",
    ),
    "zh": (
        "工单 {ticket} | 客户：{person}（{company}）| 渠道：邮件\n\n你好，我们这个月的{product}被重复扣款了（3号扣了{amount}，5号又扣了一次），信用卡账单上两笔都有。请退还重复的那笔，并告诉我大概什么时候到账。我们用了四年了，这已经是第二次出现这种情况。",
        "工单 {ticket} | 客户：{person}（{company}）| 优先级：高\n\n从今天早上开始，我们{city}办公室的所有用户都无法登录。SSO页面能打开，输入账号密码后提示“Error 502 - upstream unavailable”。管理员已经清过缓存、换了三个浏览器都不行。大约60人无法工作，请尽快升级处理。",
        "工单 {ticket} | 来自：{person}\n\n请问怎么修改账户的邮箱地址？{person2}已经离职了，但所有发票还是发到她的邮箱。我在“设置 > 个人资料”里看到这个字段是灰色的，改不了。",
        "工单 {ticket} | 客户：{person} | 渠道：在线聊天记录\n\n客户：导出CSV一直在转圈\n客服：是哪个报表？\n客户：月度销售报表，三月以后的任何月份都不行\n客服：大概多少行？\n客户：20万行左右吧？上个季度还好好的。我们{date}开董事会要用",
    ),
    "ja": (
        "チケット {ticket} | お客様：{person}（{company}）| 経路：メール\n\nお世話になります。今月の{product}の料金が二重に請求されています（3日に{amount}、5日にも同額）。カード明細に2件とも載っています。重複分の返金と、返金時期を教えてください。4年間利用していますが、これで2回目です。",
        "チケット {ticket} | お客様：{person}（{company}）| 優先度：高\n\n今朝から{city}拠点のユーザー全員がログインできません。SSO画面は表示されますが、ID・パスワード入力後に「Error 502 - upstream unavailable」と出ます。管理者がキャッシュ削除とブラウザ3種類での確認を済ませています。約60名が業務停止中です。至急エスカレーションをお願いします。",
        "チケット {ticket} | 送信者：{person}\n\nアカウントのメールアドレスはどこで変更できますか。{person2}が退職したのですが、請求書がすべて彼女の受信箱に届いています。「設定 > プロフィール」では入力欄がグレーアウトしていて変更できません。",
        "チケット {ticket} | お客様：{person} | 経路：チャット履歴\n\nお客様：CSVエクスポートがずっと読み込み中のままです\n担当：どのレポートでしょうか\nお客様：月次売上です。3月以降はどの月もダメです\n担当：行数はどのくらいですか\nお客様：20万行くらい？先四半期は問題なかったです。{date}の取締役会資料に必要なんです",
    ),
}


def _mail_address(person: str, company: str) -> str:
    local = "".join(ch for ch in person.lower().split()[0] if ch.isascii() and ch.isalpha()) or "info"
    domain = "".join(ch for ch in company.lower() if ch.isascii() and ch.isalnum())[:14] or "corp"
    return f"{local}@{domain}.com"


def email(rng: random.Random, lang: str, slots: Slots) -> str:
    subject, body = rng.choice(_EMAILS[lang])
    fields = slots | {"mail": _mail_address(slots["person"], slots["company"])}
    head = _HEADER[lang].format(**fields, subject=subject.format(**fields))
    return head + body.format(**fields)


def email_thread(rng: random.Random, lang: str, slots: Slots) -> str:
    """Two different emails of one correspondence, newest first, as a mail client quotes them."""
    first, second = rng.sample(range(len(_EMAILS[lang])), 2)
    fields = slots | {"mail": _mail_address(slots["person"], slots["company"])}
    parts = []
    for index in (first, second):
        subject, body = _EMAILS[lang][index]
        parts.append(_HEADER[lang].format(**fields, subject=subject.format(**fields)) + body.format(**fields))
    return parts[0] + "\n\n> " + parts[1].replace("\n", "\n> ")


def ticket(rng: random.Random, lang: str, slots: Slots) -> str:
    return rng.choice(_TICKETS[lang]).format(**slots)


def tickets(rng: random.Random, lang: str, slots: Slots) -> str:
    """All the tickets of a queue at once, as a lead pastes them for triage or a taxonomy; each its own number."""
    chosen = rng.sample(_TICKETS[lang], len(_TICKETS[lang]))
    numbers = rng.sample(range(10000, 99999), len(chosen))
    return "\n\n=====\n\n".join(t.format(**(slots | {"ticket": f"#{n}"})) for t, n in zip(chosen, numbers, strict=True))
