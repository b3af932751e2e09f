# ruff: noqa: RUF001, E501 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""translation: translate given text, of any length (simple), a translation that also changes register
(medium), up to localising campaigns under each market's law or reviewing legal translations (complex)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from benchmarks.corpus.families.group_a import docs_business as biz
from benchmarks.corpus.families.group_a import docs_mail as mail
from benchmarks.corpus.families.group_a.kit import Task, drafts
from benchmarks.corpus.spec import Draft, Family

TASKS = (
    Task(
        "translate-email",
        "simple",
        {
            "en": (
                "Translate this email into German.",
                "Can you translate the following into French? Keep the formatting.",
                "Translate to Japanese, business polite:",
                "spanish version of this pls",
            ),
            "de": (
                "Übersetze diese E-Mail ins Englische.",
                "Kannst du das bitte ins Französische übersetzen? Formatierung beibehalten.",
                "Bitte auf Englisch:",
            ),
            "fr": (
                "Traduis ce mail en anglais.",
                "Peux-tu traduire le texte suivant en allemand ? Garde la mise en forme.",
                "En espagnol stp :",
            ),
            "es": (
                "Traduce este correo al inglés.",
                "¿Puedes traducir lo siguiente al francés? Mantén el formato.",
                "Al alemán, por favor:",
            ),
            "zh": ("把这封邮件翻译成英文。", "请把下面的内容翻译成日语，保留原有格式。", "翻成英文："),
            "ja": (
                "このメールを英語に翻訳してください。",
                "以下を中国語（簡体字）に訳してください。書式はそのままで。",
                "英訳お願いします：",
            ),
        },
        mail.email,
        rows=4,
    ),
    Task(
        "translate-phrase",
        "simple",
        {
            "en": (
                'How do you say "the invoice is overdue" in Spanish?',
                'Translate into German: "Your order {order} has shipped."',
                'What\'s "please find attached the signed contract" in French?',
            ),
            "de": (
                'Wie sagt man "Die Rechnung ist überfällig" auf Englisch?',
                'Übersetze ins Spanische: "Ihre Bestellung {order} wurde versandt."',
                'Was heißt "anbei der unterschriebene Vertrag" auf Französisch?',
            ),
            "fr": (
                "Comment dit-on « la facture est en retard de paiement » en anglais ?",
                "Traduis en allemand : « Votre commande {order} a été expédiée. »",
                "« Veuillez trouver ci-joint le contrat signé » en espagnol ?",
            ),
            "es": (
                "¿Cómo se dice «la factura está vencida» en inglés?",
                "Traduce al alemán: «Su pedido {order} ha sido enviado.»",
                "¿«Adjunto el contrato firmado» en francés?",
            ),
            "zh": (
                "“发票已逾期”用英语怎么说？",
                "翻译成日语：“您的订单{order}已发货。”",
                "“附件是签好的合同”英文怎么写？",
            ),
            "ja": (
                "「請求書の支払期限が過ぎています」は英語で何と言いますか。",
                "中国語に訳して：「ご注文{order}は発送済みです。」",
                "「署名済みの契約書を添付します」を英語で。",
            ),
        },
        None,
        rows=3,
    ),
    Task(
        "translate-ticket",
        "simple",
        {
            "en": (
                "Translate this ticket into Spanish for our Madrid support team.",
                "Put this into German, word for word, no summary.",
            ),
            "de": (
                "Übersetze dieses Ticket ins Englische, damit das L2-Team es lesen kann.",
                "Bitte wörtlich ins Englische übertragen, keine Zusammenfassung.",
            ),
            "fr": (
                "Traduis ce ticket en anglais pour l'équipe de niveau 2.",
                "Mets-le en anglais mot à mot, sans résumer.",
            ),
            "es": (
                "Traduce este ticket al inglés para el equipo de segundo nivel.",
                "Pásalo al inglés tal cual, sin resumir.",
            ),
            "zh": ("把这个工单翻译成英文，给二线团队看。", "请逐句翻译成英文，不要概括。"),
            "ja": ("このチケットを二次対応チーム向けに英訳してください。", "要約せず、そのまま英語に訳してください。"),
        },
        mail.ticket,
        rows=3,
    ),
    Task(
        "translate-with-register",
        "medium",
        {
            "en": (
                "Translate this email into French and make it noticeably more formal, suitable for a first contact with a new supplier.",
                "Translate into German but soften the tone - we want to keep this customer.",
            ),
            "de": (
                "Übersetze diese Mail ins Englische und mach sie deutlich höflicher und diplomatischer.",
                "Ins Englische, aber bitte so, dass es für einen US-Kunden natürlich klingt, nicht wie eine Übersetzung.",
            ),
            "fr": (
                "Traduis ce mail en anglais en adoptant un ton plus direct et concis, à l'américaine.",
                "En allemand, mais en adoucissant le ton : on veut garder ce client.",
            ),
            "es": (
                "Traduce este correo al inglés con un tono más formal, apto para un primer contacto con un proveedor.",
                "Al inglés, pero que suene natural para un cliente británico, no a traducción.",
            ),
            "zh": (
                "把这封邮件翻译成英文，语气要更正式、更委婉，适合发给新的海外供应商。",
                "翻成英文，但要让美国客户读起来自然，不像翻译腔。",
            ),
            "ja": (
                "このメールを英語に訳し、初めての海外取引先に送れるよう丁寧かつ簡潔な文面にしてください。",
                "英語にしてください。ただし直訳ではなく、米国の顧客が自然に読める文章で。",
            ),
        },
        mail.email,
        rows=5,
    ),
    Task(
        "localise-campaign",
        "complex",
        {
            "en": (
                'Localise our campaign "{brand}: cut your costs by 40%, guaranteed" for Japan, France and Brazil: adapt the claims to each market\'s advertising law, explain each change, and flag what legal must approve.',
                "We're launching {brand} in Germany, Japan and Mexico next quarter. Plan the localisation: which claims, prices and testimonials need changing per market and why (consumer law, comparative advertising rules, culture), with a review workflow and timeline.",
            ),
            "de": (
                'Lokalisiere unsere Kampagne "{brand}: Senken Sie Ihre Kosten garantiert um 40 %" für Japan, Frankreich und Brasilien: Passe die Werbeaussagen an das jeweilige Werberecht an, begründe jede Änderung und markiere, was die Rechtsabteilung freigeben muss.',
                "Wir bringen {brand} nächstes Quartal in Frankreich, Japan und Mexiko auf den Markt. Plane die Lokalisierung: Welche Aussagen, Preise und Kundenstimmen müssen je Markt angepasst werden und warum (Verbraucherrecht, vergleichende Werbung, Kultur), inklusive Freigabeprozess und Zeitplan.",
            ),
            "fr": (
                "Localise notre campagne « {brand} : réduisez vos coûts de 40 %, garanti » pour le Japon, l'Allemagne et le Brésil : adapte les allégations au droit de la publicité de chaque marché, explique chaque changement et signale ce que le juridique doit valider.",
                "Nous lançons {brand} en Allemagne, au Japon et au Mexique le trimestre prochain. Planifie la localisation : allégations, prix et témoignages à modifier par marché et pourquoi (droit de la consommation, publicité comparative, culture), avec circuit de validation et calendrier.",
            ),
            "es": (
                "Localiza nuestra campaña «{brand}: reduce tus costes un 40 %, garantizado» para Japón, Francia y Alemania: adapta las afirmaciones a la normativa publicitaria de cada mercado, explica cada cambio e indica qué debe aprobar el equipo legal.",
                "Lanzamos {brand} en Alemania, Japón y Brasil el próximo trimestre. Planifica la localización: qué afirmaciones, precios y testimonios cambiar en cada mercado y por qué (consumo, publicidad comparativa, cultura), con flujo de revisión y calendario.",
            ),
            "zh": (
                "把我们的广告语“{brand}：保证为您节省40%成本”本地化到日本、法国和巴西市场：根据各国广告法调整宣传用语，逐条说明修改原因，并标出需要法务审批的内容。",
                "我们下季度要在德国、日本和墨西哥推出{brand}。请规划本地化方案：每个市场哪些宣传语、价格和客户评价需要修改、为什么（消费者保护法、比较广告规定、文化差异），并给出审核流程和时间表。",
            ),
            "ja": (
                "当社キャンペーン「{brand}：コスト40％削減を保証」を米国・フランス・ブラジル向けにローカライズしてください。各国の広告規制に合わせて表現を調整し、変更理由を説明し、法務の承認が必要な箇所を明示してください。",
                "来期、{brand}をドイツ・フランス・メキシコで発売します。市場ごとに変更が必要な訴求・価格・顧客の声とその理由（消費者法、比較広告の規制、文化）を整理し、レビュー体制とスケジュールを含むローカライズ計画を立ててください。",
            ),
        },
        None,
        rows=4,
    ),
    Task(
        "legal-translation-review",
        "complex",
        {
            "en": (
                "Translate these clauses into German for our Munich subsidiary, then flag every term whose legal effect changes under German law (e.g. liability caps, automatic renewal in B2B, late interest), explain why, and propose wording that keeps our position.",
                "Our counterpart wants the French version of this agreement to prevail. Translate the key clauses, identify where the French text would create different obligations, and advise whether we should accept the language-precedence clause.",
            ),
            "de": (
                "Übersetze diese Paragrafen ins Englische für die Konzernmutter in den USA und markiere jeden Begriff, dessen rechtliche Wirkung sich im US-Recht ändert (z. B. grobe Fahrlässigkeit, Verzugszinsen, Gerichtsstand), mit Begründung und Formulierungsvorschlag.",
                "Der Vertragspartner will, dass die englische Fassung maßgeblich ist. Übersetze die Kernklauseln, zeige, wo der englische Text andere Pflichten begründen würde, und rate uns, ob wir die Sprachklausel akzeptieren sollten.",
            ),
            "fr": (
                "Traduis ces articles en anglais pour notre maison mère américaine, puis signale chaque notion dont l'effet juridique change en droit américain (faute lourde, pénalités de retard, clause attributive de juridiction), explique pourquoi et propose une formulation.",
                "Notre cocontractant veut que la version anglaise fasse foi. Traduis les clauses clés, identifie où le texte anglais créerait des obligations différentes et conseille-nous sur l'acceptation de cette clause de langue.",
            ),
            "es": (
                "Traduce estas cláusulas al inglés para la matriz en EE. UU. y señala cada término cuyo efecto jurídico cambie en derecho estadounidense (dolo, interés de demora, sumisión a juzgados), explicando por qué y proponiendo redacción.",
                "La otra parte quiere que prevalezca la versión inglesa. Traduce las cláusulas principales, identifica dónde el texto inglés crearía obligaciones distintas y aconséjanos si aceptar la cláusula de prevalencia lingüística.",
            ),
            "zh": (
                "把这些条款翻译成英文供境外母公司审阅，并指出哪些术语在英美法下法律效果会发生变化（如违约金、仲裁条款、责任限制），说明原因并给出能保持我方立场的措辞。",
                "对方要求以英文版本为准。请翻译核心条款，找出英文文本会产生不同义务的地方，并建议我们是否应接受这一语言优先条款。",
            ),
            "ja": (
                "これらの条項を米国本社向けに英訳し、米国法の下で法的効果が変わる用語（遅延損害金、合意管轄、損害賠償の上限など）をすべて指摘し、理由と当社の立場を維持する修正文案を示してください。",
                "相手方は英語版を正本にしたいと言っています。主要条項を英訳し、英語版だと異なる義務が生じる箇所を特定したうえで、言語優先条項を受け入れるべきか助言してください。",
            ),
        },
        biz.contract,
        rows=4,
    ),
    Task(
        "localisation-program",
        "complex",
        {
            "en": (
                "Plan the localisation of our SaaS app into five languages within {months} months on a {budget} budget: vendor vs in-house, glossary and QA process, how to handle legal texts, and the order of markets.",
                "Why do machine-translated support macros hurt CSAT in Japan more than in Germany, and what process would you set up to fix it across {count} languages?",
            ),
            "de": (
                "Plane die Lokalisierung unserer SaaS-App in fünf Sprachen innerhalb von {months} Monaten mit {budget} Budget: Agentur oder intern, Glossar und QS-Prozess, Umgang mit Rechtstexten und Reihenfolge der Märkte.",
                "Warum schaden maschinell übersetzte Support-Textbausteine der Kundenzufriedenheit in Japan stärker als in Deutschland, und welchen Prozess würdest du für {count} Sprachen aufsetzen?",
            ),
            "fr": (
                "Planifie la localisation de notre application SaaS en cinq langues en {months} mois avec un budget de {budget} : agence ou interne, glossaire et contrôle qualité, traitement des textes juridiques, ordre des marchés.",
                "Pourquoi les macros de support traduites automatiquement dégradent-elles davantage la satisfaction au Japon qu'en Allemagne, et quel processus mettrais-tu en place pour {count} langues ?",
            ),
            "es": (
                "Planifica la localización de nuestra app SaaS a cinco idiomas en {months} meses con un presupuesto de {budget}: agencia o equipo interno, glosario y control de calidad, textos legales y orden de los mercados.",
                "¿Por qué las macros de soporte traducidas automáticamente bajan más la satisfacción en Japón que en Alemania, y qué proceso montarías para {count} idiomas?",
            ),
            "zh": (
                "在{months}个月、预算{budget}的条件下，规划我们SaaS产品的五语种本地化：外包还是自建团队、术语表和质检流程、法律文本如何处理，以及各市场的上线顺序。",
                "为什么机器翻译的客服话术在日本比在德国更影响客户满意度？如果要覆盖{count}种语言，你会建立怎样的流程来解决？",
            ),
            "ja": (
                "{months}か月・予算{budget}で、当社SaaSを5言語にローカライズする計画を立ててください。外注か内製か、用語集と品質管理、法務文書の扱い、市場の展開順を含めて。",
                "機械翻訳したサポート定型文が、ドイツより日本で顧客満足度を下げやすいのはなぜですか。{count}言語に対応する改善プロセスも提案してください。",
            ),
        },
        None,
        rows=4,
    ),
)


def generate(rng: random.Random) -> Iterator[Draft]:
    return drafts("translation", TASKS, rng)


FAMILY = Family(
    "translation",
    "Translate given emails, tickets and phrases; localise campaigns under each "
    "market's law, review legal translations, plan localisation programmes",
    generate,
)
