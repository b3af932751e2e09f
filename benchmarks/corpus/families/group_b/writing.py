# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""writing: from "write a subject line for this email" to board memos and negotiated replies under constraints."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.documents import email_thread, meeting_notes
from benchmarks.corpus.families.group_b.engine import family, phrase, pick_lang

PHRASINGS = (
    phrase(
        "subject-line",
        "simple",
        "after-payload",
        en="{thread}\n\nwrite a subject line for my next reply to this",
        de="{thread}\n\nSchreib mir eine Betreffzeile für meine nächste Antwort darauf.",
        fr="{thread}\n\nPropose un objet pour ma prochaine réponse à ce fil.",
        es="{thread}\n\nEscríbeme un asunto para mi próxima respuesta a este hilo.",
        zh="{thread}\n\n帮我给回复这封邮件起一个主题。",
        ja="{thread}\n\nこのメールへの返信の件名を考えてください。",
    ),
    phrase(
        "one-line-summary",
        "simple",
        "imperative",
        en="Summarise this thread in one line for my manager:\n\n{thread}",
        de="Fass diesen Mailverlauf in einem Satz für meine Chefin zusammen:\n\n{thread}",
        fr="Résume ce fil en une ligne pour mon responsable :\n\n{thread}",
        es="Resume este hilo en una línea para mi jefe:\n\n{thread}",
        zh="用一句话给我领导概括一下这串邮件：\n\n{thread}",
        ja="上司向けに、このメールのやり取りを一行で要約してください。\n\n{thread}",
    ),
    phrase(
        "fix-grammar",
        "simple",
        "terse",
        en="fix grammar: {badsentence}",
        de="Bitte Rechtschreibung korrigieren: {badsentence}",
        fr="Corrige les fautes : {badsentence}",
        es="Corrige la ortografía: {badsentence}",
        zh="改一下这句话的错别字和语病：{badsentence}",
        ja="この文の誤りを直して：{badsentence}",
    ),
    phrase(
        "tone-label",
        "simple",
        "json",
        en='Label the tone of the latest message as "friendly", "neutral" or "annoyed". JSON only: {{"tone": ...}}\n\n{thread}',
        de='Bewerte den Ton der neuesten Nachricht als "freundlich", "neutral" oder "verärgert". Nur JSON: {{"tone": ...}}\n\n{thread}',
        fr='Qualifie le ton du dernier message : « aimable », « neutre » ou « agacé ». JSON uniquement : {{"tone": ...}}\n\n{thread}',
        es='Clasifica el tono del último mensaje como "amable", "neutro" o "molesto". Solo JSON: {{"tone": ...}}\n\n{thread}',
        zh='判断最新一封邮件的语气是“友好”“中性”还是“不满”，只输出 JSON：{{"tone": ...}}\n\n{thread}',
        ja='最新のメールの口調を「友好的」「中立」「不満」のいずれかで判定し、JSON {{"tone": ...}} だけを返してください。\n\n{thread}',
    ),
    phrase(
        "title-for-notes",
        "simple",
        "question",
        en="{notes}\n\nWhat would be a good file name for these notes? Just the name.",
        de="{notes}\n\nWelcher Dateiname passt zu diesem Protokoll? Nur den Namen bitte.",
        fr="{notes}\n\nQuel nom de fichier donner à ce compte rendu ? Juste le nom.",
        es="{notes}\n\n¿Qué nombre de archivo le pongo a esta acta? Solo el nombre.",
        zh="{notes}\n\n这份纪要的文件名起什么好？只要文件名。",
        ja="{notes}\n\nこの議事録のファイル名は何がいいですか？名前だけで。",
    ),
    phrase(
        "decline-meeting",
        "medium",
        "draft",
        en="Draft a short, friendly reply to {person} declining the {day} meeting and proposing two other slots next week.",
        de="Entwirf eine kurze, freundliche Antwort an {person}: Ich sage den Termin am {day} ab und schlage zwei andere Zeitfenster nächste Woche vor.",
        fr="Rédige une réponse courte et cordiale à {person} pour décliner la réunion de {day} et proposer deux autres créneaux la semaine prochaine.",
        es="Redacta una respuesta breve y amable a {person} rechazando la reunión del {day} y proponiendo dos huecos la semana que viene.",
        zh="帮我给{person}写一封简短客气的回复，婉拒{day}的会议，并提议下周另外两个时间。",
        ja="{person}さん宛てに、{day}の打ち合わせをお断りし、来週の別の候補日時を2つ提案する短く丁寧な返信を書いてください。",
    ),
    phrase(
        "notes-to-customer",
        "medium",
        "rewrite",
        en="{notes}\n\nRewrite the decisions above as a short update paragraph for our customers (no internal names).",
        de="{notes}\n\nFormulier die Beschlüsse oben als kurzen Update-Absatz für unsere Kunden um (ohne interne Namen).",
        fr="{notes}\n\nReformule les décisions ci-dessus en un court paragraphe d'information pour nos clients (sans noms internes).",
        es="{notes}\n\nReescribe las decisiones de arriba como un párrafo breve de novedades para clientes (sin nombres internos).",
        zh="{notes}\n\n把上面的决议改写成一段发给客户的简短进展说明（不要出现内部人员姓名）。",
        ja="{notes}\n\n上の決定事項を、顧客向けの短いお知らせ文（社内の氏名は出さない）に書き直してください。",
    ),
    phrase(
        "announcement-post",
        "medium",
        "imperative",
        en="Write a LinkedIn post (under 120 words) announcing that {company} opened a new office in {city}.",
        de="Schreib einen LinkedIn-Beitrag (unter 120 Wörtern), dass {company} ein neues Büro in {city} eröffnet hat.",
        fr="Écris un post LinkedIn (moins de 120 mots) annonçant l'ouverture d'un nouveau bureau de {company} à {city}.",
        es="Escribe una publicación de LinkedIn (menos de 120 palabras) anunciando que {company} ha abierto oficina en {city}.",
        zh="写一条领英动态（120字以内），宣布{company}在{city}开设了新办公室。",
        ja="{company}が{city}に新オフィスを開設したことを知らせる LinkedIn 投稿を書いてください（200字以内）。",
    ),
    phrase(
        "board-memo",
        "complex",
        "short",
        en="Write a board memo proposing three options to cut churn at {company}, each with cost, risk and expected impact, and a recommendation.",
        de="Schreib eine Vorlage für den Aufsichtsrat mit drei Optionen, die Kündigungsquote bei {company} zu senken, jeweils mit Kosten, Risiken und erwarteter Wirkung, plus Empfehlung.",
        fr="Rédige une note au conseil d'administration proposant trois options pour réduire l'attrition chez {company}, chacune avec coût, risques et impact attendu, et une recommandation.",
        es="Redacta un memorando para el consejo con tres opciones para reducir la tasa de bajas en {company}, cada una con coste, riesgos e impacto esperado, y una recomendación.",
        zh="给董事会写一份备忘录，提出降低{company}客户流失率的三个方案，分别说明成本、风险和预期效果，并给出推荐方案。",
        ja="{company}の解約率を下げる3つの選択肢を、それぞれのコスト・リスク・期待効果とともに示し、推奨案を添えた取締役会向けメモを書いてください。",
    ),
    phrase(
        "negotiated-reply",
        "complex",
        "after-payload",
        en="{thread}\n\nDraft my reply. Constraints: accept the partial delivery but only if the second half arrives before {date}; push for 8% instead of 5%; keep the relationship warm; and list, separately, the fallback options if they refuse. Under 250 words for the email.",
        de="{thread}\n\nEntwirf meine Antwort. Vorgaben: Teillieferung annehmen, aber nur wenn der Rest vor dem {date} kommt; 8 % statt 5 % verhandeln; die Beziehung nicht belasten; und separat die Ausweichoptionen auflisten, falls sie ablehnen. Die Mail unter 250 Wörtern.",
        fr="{thread}\n\nRédige ma réponse. Contraintes : accepter la livraison partielle seulement si le reste arrive avant le {date} ; obtenir 8 % au lieu de 5 % ; préserver la relation ; et lister à part les options de repli en cas de refus. Moins de 250 mots pour le mail.",
        es="{thread}\n\nRedacta mi respuesta. Condiciones: aceptar la entrega parcial solo si el resto llega antes del {date}; pedir un 8% en lugar del 5%; mantener buena relación; y enumerar aparte las alternativas si se niegan. El correo, menos de 250 palabras.",
        zh="{thread}\n\n帮我起草回复。要求：可以接受分批交货，但剩余部分必须在{date}前到货；折让争取8%而不是5%；语气上维护好合作关系；另外单独列出对方拒绝时的备选方案。邮件正文不超过250字。",
        ja="{thread}\n\n私の返信を作成してください。条件：分納は受け入れるが、残りが{date}までに届く場合に限る／値引きは5%ではなく8%を求める／関係は良好に保つ。さらに、先方が断った場合の代替案を別途箇条書きで。メール本文は400字以内。",
    ),
    phrase(
        "status-report",
        "complex",
        "imperative",
        en="Turn these notes into a one-page status report for the steering committee: RAG status per workstream with reasons, top three risks with mitigations, decisions needed from them, and a revised milestone table.\n\n{notes}",
        de="Mach aus diesem Protokoll einen einseitigen Statusbericht für den Lenkungskreis: Ampelstatus je Arbeitspaket mit Begründung, die drei größten Risiken mit Gegenmaßnahmen, benötigte Entscheidungen und eine überarbeitete Meilensteintabelle.\n\n{notes}",
        fr="Transforme ce compte rendu en rapport d'avancement d'une page pour le comité de pilotage : statut feu tricolore par chantier avec justification, trois principaux risques et parades, décisions attendues du comité et tableau des jalons révisé.\n\n{notes}",
        es="Convierte esta acta en un informe de estado de una página para el comité: semáforo por línea de trabajo con motivos, los tres riesgos principales con mitigaciones, decisiones que necesitamos del comité y una tabla de hitos revisada.\n\n{notes}",
        zh="把这份纪要整理成一页给指导委员会的项目状态报告：各工作流的红黄绿状态及原因、前三大风险及应对措施、需要委员会拍板的事项，以及修订后的里程碑表。\n\n{notes}",
        ja="この議事録を、ステアリングコミッティ向けの1ページの状況報告書にまとめてください。ワークストリームごとの信号（赤黄緑）と理由、上位3つのリスクと対策、委員会に求める意思決定、改訂版マイルストーン表を含めること。\n\n{notes}",
    ),
    phrase(
        "crisis-comms",
        "complex",
        "question",
        en="We have to tell {num} customers that their data may have been exposed in a vendor breach. Can you write the customer email, a shorter SMS, an internal FAQ for support, and a timeline of who sends what when — without admitting liability before legal signs off?",
        de="Wir müssen {num} Kunden mitteilen, dass ihre Daten bei einem Dienstleister möglicherweise offengelegt wurden. Kannst du die Kundenmail, eine kürzere SMS, ein internes FAQ für den Support und einen Zeitplan schreiben, wer wann was verschickt – ohne vor der Freigabe durch die Rechtsabteilung eine Haftung einzuräumen?",
        fr="Nous devons informer {num} clients que leurs données ont peut-être été exposées lors d'une fuite chez un prestataire. Peux-tu rédiger l'e-mail client, un SMS plus court, une FAQ interne pour le support et un calendrier de qui envoie quoi et quand, sans reconnaître de responsabilité avant validation juridique ?",
        es="Tenemos que avisar a {num} clientes de que sus datos pueden haber quedado expuestos en una brecha de un proveedor. ¿Puedes escribir el correo a clientes, un SMS más corto, unas FAQ internas para soporte y un calendario de quién envía qué y cuándo, sin admitir responsabilidad antes de que lo apruebe jurídico?",
        zh="我们需要通知{num}位客户，他们的数据可能因供应商泄露事件而外泄。能否写一封客户邮件、一条更短的短信、一份给客服的内部FAQ，以及谁在什么时候发什么的时间表？在法务确认之前不能承认责任。",
        ja="委託先の情報漏えいで{num}名のお客様のデータが流出した可能性があることを通知しなければなりません。お客様向けメール、短いSMS文面、サポート向け社内FAQ、誰がいつ何を送るかのタイムラインを書いてもらえますか。法務の承認前に責任を認める表現は避けてください。",
    ),
    phrase(
        "synthesis-brief",
        "complex",
        "polite",
        en="Could you read both the thread and the meeting notes below and write me a briefing for tomorrow's call: where the two contradict each other, what we should ask for, our walk-away point, and a suggested agenda?\n\n{thread}\n\n=====\n\n{notes}",
        de="Könntest du den Mailverlauf und das Protokoll unten lesen und mir ein Briefing für den Call morgen schreiben: wo sich beides widerspricht, was wir fordern sollten, unsere Schmerzgrenze und eine Agenda?\n\n{thread}\n\n=====\n\n{notes}",
        fr="Pourrais-tu lire le fil de mails et le compte rendu ci-dessous et me préparer une note pour l'appel de demain : où ils se contredisent, ce que nous devons demander, notre point de rupture et un ordre du jour ?\n\n{thread}\n\n=====\n\n{notes}",
        es="¿Podrías leer el hilo y el acta de abajo y prepararme un briefing para la llamada de mañana: dónde se contradicen, qué deberíamos pedir, nuestro límite para abandonar la negociación y una agenda propuesta?\n\n{thread}\n\n=====\n\n{notes}",
        zh="麻烦把下面的邮件往来和会议纪要都看一下，帮我准备明天电话会的简报：两者矛盾的地方、我们应该提出的要求、我们的底线，以及建议议程。\n\n{thread}\n\n=====\n\n{notes}",
        ja="下のメールのやり取りと議事録の両方を読んで、明日の電話会議用のブリーフィングを作っていただけますか。両者の食い違い、こちらから求めるべきこと、譲れない一線、議題案を含めてください。\n\n{thread}\n\n=====\n\n{notes}",
    ),
)

BAD_SENTENCES = {
    "en": [
        "Their going to send the invoice tomorow, than we can pay it.",
        "Me and him has reviewed the contract allready.",
        "Please find attach the report wich you requested.",
        "Its important that every employees complete the training.",
    ],
    "de": [
        "Wir haben die Rechnung gestern bekommt und werden sie schnellstmöglichst bezahlen.",
        "Anbei sende ich ihnen das Angebot, wie besprochen.",
        "Das Meeting wurde auf nächste Woche verschoben, weil der Kunde krank ist gewesen.",
        "Bitte überprüfen sie, ob alle Daten richtig sind, bevor sie es schicken.",
    ],
    "fr": [
        "Je vous est envoyé le rapport hier, vous l'avez reçu ?",
        "Les documents que vous m'avez demandé sont en pièce jointes.",
        "Nous avons pas encore reçus la facture.",
        "Merci de me tenir au courant dès que vous aurez finit.",
    ],
    "es": [
        "Haber si nos podemos reunir el martes para ver el presupuesto.",
        "Te envio el informe que me pedistes ayer.",
        "Hemos recibido la factura pero no a llegado el pedido.",
        "Porfavor, confirmame si estas de acuerdo.",
    ],
    "zh": [
        "我们已经在昨天收到了发票了，会尽快的付款。",
        "请各位同事在本周五之前前提交报销单。",
        "因为客户的原因，所以会议被推迟了到下周。",
        "这个方案的优点是成本低和。",
    ],
    "ja": [
        "資料を昨日に送らさせていただきました。",
        "ご確認のほど、よろしくお願いいたしますです。",
        "会議は来週に延期されることになりましたになります。",
        "請求書を受け取りしましたので、支払いいたします。",
    ],
}
DAYS = {
    "en": ["Thursday", "Monday afternoon", "Friday 3pm"],
    "de": ["Donnerstag", "Montagnachmittag", "Freitag um 15 Uhr"],
    "fr": ["jeudi", "lundi après-midi", "vendredi 15 h"],
    "es": ["jueves", "lunes por la tarde", "viernes a las 15:00"],
    "zh": ["周四", "周一下午", "周五下午三点"],
    "ja": ["木曜日", "月曜午後", "金曜15時"],
}

FILLERS = {
    "thread": email_thread,
    "notes": meeting_notes,
    "badsentence": pick_lang(BAD_SENTENCES),
    "day": pick_lang(DAYS),
}

SYSTEM_PROMPTS = {
    "en": [
        "You are an executive assistant at {company}. Write in clear, plain business English.",
        "You help {company}'s {dept} team write emails.",
    ],
    "de": [
        "Du bist Assistenz der Geschäftsführung bei {company}. Schreib klar und sachlich.",
        "Du hilfst dem Team {dept} von {company} beim Formulieren von E-Mails.",
    ],
    "fr": [
        "Tu es l'assistant de direction de {company}. Écris dans un français professionnel et clair.",
        "Tu aides l'équipe {dept} de {company} à rédiger ses e-mails.",
    ],
    "es": [
        "Eres asistente de dirección en {company}. Escribe con un tono profesional y claro.",
        "Ayudas al equipo de {dept} de {company} a redactar correos.",
    ],
    "zh": ["你是{company}的总经理助理，文字要清楚、得体。", "你负责帮{company}{dept}撰写邮件。"],
    "ja": [
        "あなたは{company}の役員秘書です。丁寧で分かりやすいビジネス文書を書いてください。",
        "あなたは{company}{dept}のメール作成を手伝うアシスタントです。",
    ],
}

WRITING = family(
    "writing",
    "Business writing on pasted mail threads and minutes: subject lines and fixes up to board memos and negotiated replies.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
