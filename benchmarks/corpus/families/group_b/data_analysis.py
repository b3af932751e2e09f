# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""data-analysis: from "which region had the highest Q4 revenue" to finding a margin's drivers and forecasting."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.engine import family, integer, phrase, pick, pick_lang
from benchmarks.corpus.families.group_b.tables import quarterly_sales

PHRASINGS = (
    phrase(
        "max-value",
        "simple",
        "after-payload",
        en="{sales}\n\nWhich region had the highest revenue in Q4?",
        de="{sales}\n\nWelche Region hatte im Q4 den höchsten Umsatz?",
        fr="{sales}\n\nQuelle région a fait le plus gros CA au T4 (Q4) ?",
        es="{sales}\n\n¿Qué región tuvo más ingresos en el Q4?",
        zh="{sales}\n\nQ4 收入最高的是哪个区域？",
        ja="{sales}\n\nQ4 の売上が最も高い地域はどこですか？",
    ),
    phrase(
        "most-returns",
        "simple",
        "json",
        en='Find the row with the most returns. Output only JSON {{"region": ..., "quarter": ..., "returns": ...}}\n\n{sales}',
        de='Finde die Zeile mit den meisten Retouren. Gib nur JSON aus: {{"region": ..., "quarter": ..., "returns": ...}}\n\n{sales}',
        fr='Trouve la ligne avec le plus de retours. Réponds uniquement en JSON {{"region": ..., "quarter": ..., "returns": ...}}\n\n{sales}',
        es='Busca la fila con más devoluciones. Devuelve solo JSON {{"region": ..., "quarter": ..., "returns": ...}}\n\n{sales}',
        zh='找出退货数最多的那一行，只输出 JSON：{{"region": ..., "quarter": ..., "returns": ...}}\n\n{sales}',
        ja='返品数が最も多い行を探して、JSON {{"region": ..., "quarter": ..., "returns": ...}} だけを出力してください。\n\n{sales}',
    ),
    phrase(
        "column-names",
        "simple",
        "terse",
        en="{sales}\n\ncolumns?",
        de="{sales}\n\nwelche Spalten hat das?",
        fr="{sales}\n\nquelles colonnes ?",
        es="{sales}\n\n¿qué columnas tiene?",
        zh="{sales}\n\n有哪些列？",
        ja="{sales}\n\n列名は？",
    ),
    phrase(
        "chart-type",
        "simple",
        "question",
        en="Which chart type is best for showing {chartdata}? One word answer.",
        de="Welcher Diagrammtyp eignet sich am besten für {chartdata}? Ein Wort reicht.",
        fr="Quel type de graphique convient le mieux pour {chartdata} ? Un mot suffit.",
        es="¿Qué tipo de gráfico es mejor para {chartdata}? Responde con una palabra.",
        zh="展示{chartdata}用哪种图表最合适？一个词回答。",
        ja="{chartdata}を示すのに最適なグラフの種類は？一言で。",
    ),
    phrase(
        "define-metric",
        "simple",
        "short",
        en="What does {metric} stand for?",
        de="Wofür steht {metric}?",
        fr="Que signifie {metric} ?",
        es="¿Qué significa {metric}?",
        zh="{metric}是什么意思？",
        ja="{metric}とは何の略ですか？",
    ),
    phrase(
        "pandas-snippet",
        "medium",
        "imperative",
        en="Write pandas code that loads sales.csv and {pandas}.",
        de="Schreib pandas-Code, der sales.csv einliest und {pandas}.",
        fr="Écris du code pandas qui charge sales.csv et {pandas}.",
        es="Escribe código pandas que cargue sales.csv y {pandas}.",
        zh="写一段 pandas 代码，读取 sales.csv，然后{pandas}。",
        ja="sales.csv を読み込んで{pandas}pandas のコードを書いてください。",
    ),
    phrase(
        "three-bullets",
        "medium",
        "after-payload",
        en="{sales}\n\nGive me three bullet points on what stands out in these numbers for the weekly update.",
        de="{sales}\n\nFormulier mir drei Stichpunkte, was an diesen Zahlen auffällt, fürs Weekly.",
        fr="{sales}\n\nDonne-moi trois puces sur ce qui ressort de ces chiffres pour le point hebdo.",
        es="{sales}\n\nDame tres viñetas con lo que destaca de estas cifras para la reunión semanal.",
        zh="{sales}\n\n帮我写三条要点，说明这些数据里值得注意的地方，用于周会汇报。",
        ja="{sales}\n\n週次報告用に、この数字で目立つ点を箇条書きで3つください。",
    ),
    phrase(
        "explain-correlation",
        "medium",
        "explain",
        en="Explain to a sales manager, in one paragraph, why {corr} does not prove the one causes the other.",
        de="Erklär einer Vertriebsleiterin in einem Absatz, warum {corr} nicht beweist, dass das eine das andere verursacht.",
        fr="Explique à un directeur commercial, en un paragraphe, pourquoi {corr} ne prouve pas que l'un cause l'autre.",
        es="Explícale a una jefa de ventas, en un párrafo, por qué {corr} no demuestra que una cosa cause la otra.",
        zh="用一段话向销售经理解释，为什么{corr}并不能证明两者存在因果关系。",
        ja="{corr}からといって因果関係があるとは言えない理由を、営業マネージャー向けに一段落で説明してください。",
    ),
    phrase(
        "margin-drivers",
        "complex",
        "after-payload",
        en="{sales}\n\nGross margin fell this year. Work out which regions and cost lines drive the drop, quantify each driver's contribution, forecast Q1 next year under two scenarios with explicit assumptions, and recommend what to investigate first.",
        de="{sales}\n\nDie Bruttomarge ist dieses Jahr gesunken. Ermittle, welche Regionen und Kostenpositionen den Rückgang treiben, beziffere den Beitrag jedes Treibers, prognostiziere Q1 des nächsten Jahres in zwei Szenarien mit expliziten Annahmen und empfiehl, was zuerst untersucht werden sollte.",
        fr="{sales}\n\nLa marge brute a baissé cette année. Identifie les régions et les postes de coûts responsables, chiffre la contribution de chacun, prévois le T1 de l'an prochain selon deux scénarios aux hypothèses explicites et recommande quoi examiner en premier.",
        es="{sales}\n\nEl margen bruto ha caído este año. Determina qué regiones y partidas de coste explican la caída, cuantifica la contribución de cada una, pronostica el Q1 del año que viene en dos escenarios con supuestos explícitos y recomienda qué investigar primero.",
        zh="{sales}\n\n今年毛利率下降了。请分析是哪些区域和成本项导致的，量化每个因素的影响，在两种情景下（写明假设）预测明年Q1，并建议优先排查什么。",
        ja="{sales}\n\n今年は粗利率が低下しました。どの地域・どのコスト項目が要因か特定し、それぞれの寄与を定量化したうえで、前提を明示した2つのシナリオで来年Q1を予測し、最初に調べるべき点を提言してください。",
    ),
    phrase(
        "ab-test",
        "complex",
        "short",
        en="Variant B converted {cb}/{nb} vs A's {ca}/{na} over 9 days, but traffic mix shifted to mobile mid-test. Is B really better? Pick the test, check significance, and say what you'd need before shipping.",
        de="Variante B hatte {cb}/{nb} Conversions gegenüber {ca}/{na} bei A über 9 Tage, aber mitten im Test hat sich der Traffic Richtung Mobile verschoben. Ist B wirklich besser? Wähl den Test, prüf die Signifikanz und sag, was wir vor dem Rollout noch bräuchten.",
        fr="La variante B a converti {cb}/{nb} contre {ca}/{na} pour A sur 9 jours, mais le trafic a basculé vers le mobile en cours de test. B est-elle vraiment meilleure ? Choisis le test, vérifie la significativité et dis ce qu'il faudrait avant de déployer.",
        es="La variante B convirtió {cb}/{nb} frente a {ca}/{na} de A en 9 días, pero a mitad de prueba el tráfico se desplazó a móvil. ¿B es realmente mejor? Elige la prueba, comprueba la significación y di qué necesitarías antes de lanzarla.",
        zh="9天内B版本转化{cb}/{nb}，A版本{ca}/{na}，但测试中途流量结构向移动端偏移了。B真的更好吗？请选择合适的检验方法、判断显著性，并说明上线前还需要哪些信息。",
        ja="9日間でBは{cb}/{nb}、Aは{ca}/{na}のコンバージョンでしたが、途中で流入がモバイル寄りに変わりました。Bは本当に優れていますか？検定手法を選んで有意性を確認し、リリース前に何が必要か述べてください。",
    ),
    phrase(
        "retention-analysis",
        "complex",
        "imperative",
        en="Design a cohort retention analysis for our {business}: define the cohorts and the activity event, write the SQL, explain how to separate seasonality from product changes, and list the three charts leadership should see.",
        de="Konzipier eine Kohorten-Retentionsanalyse für unser Produkt ({business}): Kohorten und Aktivitätsereignis definieren, SQL schreiben, erklären, wie man Saisonalität von Produktänderungen trennt, und die drei Charts nennen, die die Geschäftsführung sehen sollte.",
        fr="Conçois une analyse de rétention par cohortes pour notre {business} : définis les cohortes et l'événement d'activité, écris le SQL, explique comment séparer la saisonnalité des changements produit et liste les trois graphiques à montrer à la direction.",
        es="Diseña un análisis de retención por cohortes para nuestro {business}: define las cohortes y el evento de actividad, escribe el SQL, explica cómo separar la estacionalidad de los cambios de producto y enumera los tres gráficos que debería ver la dirección.",
        zh="为我们的{business}设计一套同期群留存分析：定义群组和活跃事件，写出SQL，说明如何区分季节性和产品改动的影响，并列出管理层应该看的三张图。",
        ja="当社の{business}向けにコホート別リテンション分析を設計してください。コホートとアクティブの定義、SQL、季節性とプロダクト変更の影響の切り分け方、経営層に見せるべきグラフ3つを含めて。",
    ),
    phrase(
        "anomaly-investigation",
        "complex",
        "question",
        en="Our daily {kpi} dropped {pct}% overnight with no release and no outage. How should we investigate? Give hypotheses ranked by likelihood, the data check that confirms or kills each, and the order to run them in.",
        de="Unser täglicher {kpi} ist über Nacht um {pct} % gefallen, ohne Release und ohne Störung. Wie gehen wir vor? Bitte Hypothesen nach Wahrscheinlichkeit, je die Datenprüfung, die sie bestätigt oder verwirft, und die Reihenfolge.",
        fr="Notre {kpi} quotidien a chuté de {pct} % du jour au lendemain, sans mise en production ni incident. Comment enquêter ? Donne des hypothèses classées par probabilité, la vérification de données qui confirme ou écarte chacune et l'ordre pour les mener.",
        es="Nuestro {kpi} diario cayó un {pct}% de un día para otro sin despliegue ni caída del servicio. ¿Cómo lo investigamos? Dame hipótesis ordenadas por probabilidad, la comprobación de datos que confirma o descarta cada una y en qué orden hacerlas.",
        zh="我们的日{kpi}一夜之间下降了{pct}%，既没有发版也没有故障。该怎么排查？请按可能性列出假设、每个假设对应的验证数据，以及排查顺序。",
        ja="リリースも障害もないのに、日次の{kpi}が一晩で{pct}%下がりました。どう調査すべきですか？可能性の高い順に仮説を挙げ、それぞれを確かめる・否定するデータ確認と、実施順を示してください。",
    ),
    phrase(
        "kpi-dashboard",
        "complex",
        "polite",
        en="Could you propose a KPI dashboard for {company}'s {dept} team? Max 8 metrics; for each give the definition, data source, target and owner, and explain which metrics conflict and how to balance them.",
        de="Könntest du ein KPI-Dashboard für das Team {dept} bei {company} vorschlagen? Höchstens 8 Kennzahlen, jeweils mit Definition, Datenquelle, Zielwert und Verantwortlichem, und erklär, welche Kennzahlen sich widersprechen und wie man sie ausbalanciert.",
        fr="Pourrais-tu proposer un tableau de bord d'indicateurs pour l'équipe {dept} de {company} ? 8 indicateurs maximum, chacun avec définition, source, cible et responsable, et explique lesquels entrent en conflit et comment les équilibrer.",
        es="¿Podrías proponer un cuadro de mando de KPI para el equipo de {dept} de {company}? Máximo 8 métricas, cada una con definición, fuente de datos, objetivo y responsable, y explica qué métricas chocan entre sí y cómo equilibrarlas.",
        zh="能否为{company}的{dept}设计一个KPI看板？最多8个指标，每个写明定义、数据来源、目标值和负责人，并说明哪些指标相互冲突、如何平衡。",
        ja="{company}の{dept}向けに KPI ダッシュボードを提案していただけますか。指標は最大8つ、それぞれ定義・データソース・目標値・責任者を示し、相反する指標とそのバランスの取り方も説明してください。",
    ),
)

CHART_DATA = {
    "en": [
        "monthly revenue over three years",
        "market share of five competitors",
        "the relationship between ad spend and sign-ups",
        "the distribution of delivery times",
    ],
    "de": [
        "den Monatsumsatz über drei Jahre",
        "die Marktanteile von fünf Wettbewerbern",
        "den Zusammenhang zwischen Werbebudget und Anmeldungen",
        "die Verteilung der Lieferzeiten",
    ],
    "fr": [
        "le CA mensuel sur trois ans",
        "les parts de marché de cinq concurrents",
        "le lien entre budget pub et inscriptions",
        "la distribution des délais de livraison",
    ],
    "es": [
        "los ingresos mensuales de tres años",
        "la cuota de mercado de cinco competidores",
        "la relación entre gasto en anuncios y altas",
        "la distribución de los plazos de entrega",
    ],
    "zh": ["三年来的月度收入", "五个竞争对手的市场份额", "广告投放与注册量的关系", "配送时长的分布"],
    "ja": ["3年間の月次売上", "競合5社の市場シェア", "広告費と登録数の関係", "配送時間の分布"],
}
METRICS = pick(["YoY", "CAGR", "MoM", "ARPU", "CTR", "NPS", "MAU", "EBITDA", "RFM", "P95"])
PANDAS = {
    "en": [
        "prints revenue by region and quarter as a pivot table",
        "adds a gross-margin column and sorts by it",
        "plots the quarterly trend per region",
    ],
    "de": [
        "den Umsatz pro Region und Quartal als Pivot-Tabelle ausgibt",
        "eine Spalte Bruttomarge ergänzt und danach sortiert",
        "den Quartalsverlauf je Region plottet",
    ],
    "fr": [
        "affiche le CA par région et trimestre en tableau croisé",
        "ajoute une colonne de marge brute et trie dessus",
        "trace l'évolution trimestrielle par région",
    ],
    "es": [
        "muestre los ingresos por región y trimestre en una tabla dinámica",
        "añada una columna de margen bruto y ordene por ella",
        "dibuje la evolución trimestral por región",
    ],
    "zh": ["按区域和季度输出收入透视表", "新增毛利率列并按其排序", "画出各区域的季度趋势图"],
    "ja": [
        "地域×四半期の売上ピボット表を出力する",
        "粗利率の列を追加してその列で並べ替える",
        "地域ごとの四半期推移をプロットする",
    ],
}
CORRELATIONS = {
    "en": ["stores with more staff selling more", "customers who open our newsletter spending more"],
    "de": ["dass Filialen mit mehr Personal mehr verkaufen", "dass Newsletter-Leser mehr ausgeben"],
    "fr": [
        "le fait que les magasins avec plus de personnel vendent plus",
        "le fait que les lecteurs de la newsletter dépensent plus",
    ],
    "es": ["que las tiendas con más personal vendan más", "que los clientes que abren el boletín gasten más"],
    "zh": ["员工多的门店销量更高", "打开邮件简报的客户消费更多"],
    "ja": ["スタッフが多い店舗ほど売上が高い", "メルマガを開封する顧客ほど購入額が多い"],
}
BUSINESSES = {
    "en": ["meal-kit subscription", "B2B invoicing SaaS", "language-learning app"],
    "de": ["Kochbox-Abo", "B2B-Rechnungs-SaaS", "Sprachlern-App"],
    "fr": ["abonnement de paniers repas", "SaaS de facturation B2B", "application d'apprentissage des langues"],
    "es": ["suscripción de kits de comida", "SaaS de facturación B2B", "app para aprender idiomas"],
    "zh": ["生鲜订阅服务", "B2B 开票 SaaS", "语言学习 App"],
    "ja": ["食材宅配サブスク", "B2B 請求書 SaaS", "語学学習アプリ"],
}
KPIS = {
    "en": ["checkout conversion", "active users", "average order value"],
    "de": ["Checkout-Conversion", "Aktivnutzer", "Warenkorbwert"],
    "fr": ["taux de conversion", "nombre d'utilisateurs actifs", "panier moyen"],
    "es": ["conversión en checkout", "usuarios activos", "ticket medio"],
    "zh": ["下单转化率", "活跃用户数", "客单价"],
    "ja": ["購入転換率", "アクティブユーザー数", "平均注文額"],
}

FILLERS = {
    "sales": quarterly_sales,
    "chartdata": pick_lang(CHART_DATA),
    "metric": METRICS,
    "pandas": pick_lang(PANDAS),
    "corr": pick_lang(CORRELATIONS),
    "business": pick_lang(BUSINESSES),
    "kpi": pick_lang(KPIS),
    "ca": integer(180, 260),
    "na": integer(4000, 5200),
    "cb": integer(200, 300),
    "nb": integer(4000, 5200),
}

SYSTEM_PROMPTS = {
    "en": [
        "You are a data analyst at {company}. Be precise with numbers.",
        "You are the BI assistant for {company}'s {dept} team.",
    ],
    "de": [
        "Du bist Datenanalyst bei {company}. Sei bei Zahlen genau.",
        "Du bist der BI-Assistent des Teams {dept} bei {company}.",
    ],
    "fr": [
        "Tu es analyste de données chez {company}. Sois précis sur les chiffres.",
        "Tu es l'assistant BI de l'équipe {dept} de {company}.",
    ],
    "es": [
        "Eres analista de datos en {company}. Sé preciso con las cifras.",
        "Eres el asistente de BI del equipo de {dept} de {company}.",
    ],
    "zh": ["你是{company}的数据分析师，数字要准确。", "你是{company}{dept}的BI助手。"],
    "ja": [
        "あなたは{company}のデータアナリストです。数字は正確に。",
        "あなたは{company}{dept}の BI アシスタントです。",
    ],
}

DATA_ANALYSIS = family(
    "data-analysis",
    "Questions on pasted tables: one lookup or label up to driver analysis, forecasts, A/B tests and KPI design.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
