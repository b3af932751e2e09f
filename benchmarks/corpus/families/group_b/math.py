# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""math: from "what is 486 + 141" and unit conversions to multi-step word problems, proofs and optimisation."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.engine import Filler, family, integer, phrase, pick, pick_lang
from benchmarks.corpus.families.group_b.tables import meter_readings

PHRASINGS = (
    phrase(
        "add",
        "simple",
        "question",
        en="What is {a} + {b}?",
        de="Was ist {a} + {b}?",
        fr="Combien font {a} + {b} ?",
        es="¿Cuánto es {a} + {b}?",
        zh="{a} + {b} 等于多少？",
        ja="{a} + {b} はいくつ？",
    ),
    phrase(
        "percent-of",
        "simple",
        "terse",
        en="{pct}% of {n}00",
        de="{pct} % von {n}00?",
        fr="{pct} % de {n}00 ?",
        es="el {pct}% de {n}00",
        zh="{n}00的{pct}%是多少",
        ja="{n}00の{pct}%は？",
    ),
    phrase(
        "temperature",
        "simple",
        "imperative",
        en="Convert {f} °F to Celsius, one decimal.",
        de="Rechne {f} °F in Grad Celsius um, eine Nachkommastelle.",
        fr="Convertis {f} °F en degrés Celsius (une décimale).",
        es="Convierte {f} °F a grados Celsius, con un decimal.",
        zh="把{f}华氏度换算成摄氏度，保留一位小数。",
        ja="{f}°F を摂氏に換算してください（小数第1位まで）。",
    ),
    phrase(
        "meter-difference",
        "simple",
        "after-payload",
        en="{meters}\n\nHow many kWh between the first and the last reading? Just the number.",
        de="{meters}\n\nWie viele kWh liegen zwischen dem ersten und dem letzten Zählerstand? Nur die Zahl.",
        fr="{meters}\n\nCombien de kWh entre le premier et le dernier relevé ? Juste le nombre.",
        es="{meters}\n\n¿Cuántos kWh hay entre la primera y la última lectura? Solo el número.",
        zh="{meters}\n\n第一次和最后一次读数相差多少千瓦时？只要数字。",
        ja="{meters}\n\n最初と最後の指示値の差は何 kWh ですか？数字だけで。",
    ),
    phrase(
        "meter-lookup",
        "simple",
        "polite",
        en="Could you tell me the highest reading in this export and who recorded it?\n\n{meters}",
        de="Kannst du mir sagen, welcher der höchste Zählerstand in diesem Export ist und wer ihn erfasst hat?\n\n{meters}",
        fr="Pourrais-tu m'indiquer le relevé le plus élevé de cet export et qui l'a saisi ?\n\n{meters}",
        es="¿Me dices cuál es la lectura más alta de esta exportación y quién la registró?\n\n{meters}",
        zh="请告诉我这份导出数据里最高的读数是多少，是谁抄的。\n\n{meters}",
        ja="このエクスポートの中で一番大きい指示値と、その記録者を教えてください。\n\n{meters}",
    ),
    phrase(
        "explain-concept",
        "medium",
        "explain",
        en="Explain {concept} in a short paragraph with one small numeric example.",
        de="Erklär {concept} in einem kurzen Absatz mit einem kleinen Zahlenbeispiel.",
        fr="Explique {concept} en un court paragraphe avec un petit exemple chiffré.",
        es="Explica {concept} en un párrafo corto con un pequeño ejemplo numérico.",
        zh="用一小段话解释{concept}，并举一个简单的数字例子。",
        ja="{concept}を短い段落で説明し、簡単な数値例をひとつ挙げてください。",
    ),
    phrase(
        "solve-equation",
        "medium",
        "show-steps",
        en="Solve {a}x - {b} = {c} and show the steps.",
        de="Löse {a}x - {b} = {c} und zeig den Rechenweg.",
        fr="Résous {a}x - {b} = {c} en détaillant les étapes.",
        es="Resuelve {a}x - {b} = {c} mostrando los pasos.",
        zh="解方程 {a}x - {b} = {c}，写出步骤。",
        ja="{a}x - {b} = {c} を解いて、途中式も書いてください。",
    ),
    phrase(
        "compound-interest",
        "medium",
        "question",
        en="If I put {amount} in a savings account at {rate}% a year compounded monthly, how much will I have after {years} years? Show the formula.",
        de="Wenn ich {amount} zu {rate} % p. a. mit monatlicher Verzinsung anlege, wie viel habe ich nach {years} Jahren? Bitte mit Formel.",
        fr="Si je place {amount} à {rate} % par an avec capitalisation mensuelle, combien aurai-je au bout de {years} ans ? Donne la formule.",
        es="Si meto {amount} en una cuenta al {rate}% anual con capitalización mensual, ¿cuánto tendré en {years} años? Indica la fórmula.",
        zh="如果我把{amount}存入年利率{rate}%、按月复利的账户，{years}年后有多少钱？请写出公式。",
        ja="{amount}を年利{rate}%・月複利で預けたら、{years}年後にいくらになりますか？式も示してください。",
    ),
    phrase(
        "word-problem",
        "complex",
        "story",
        en="A warehouse has {a} pallets. Team A moves {p} pallets an hour, team B {q}, but B only starts after {h} hours and the dock closes after 8 hours. Will they finish? If not, how many extra hours does team A need alone, and what's the cheapest staffing if A costs {ca}/h and B {cb}/h?",
        de="Ein Lager hat {a} Paletten. Team A schafft {p} Paletten pro Stunde, Team B {q}, aber B fängt erst nach {h} Stunden an, und die Rampe schließt nach 8 Stunden. Werden sie fertig? Wenn nicht: Wie viele Zusatzstunden braucht Team A allein, und welche Besetzung ist am günstigsten, wenn A {ca} €/h und B {cb} €/h kostet?",
        fr="Un entrepôt contient {a} palettes. L'équipe A en déplace {p} par heure, l'équipe B {q}, mais B ne commence qu'après {h} heures et le quai ferme au bout de 8 heures. Auront-ils fini ? Sinon, combien d'heures supplémentaires faut-il à A seule, et quelle organisation coûte le moins si A coûte {ca} €/h et B {cb} €/h ?",
        es="Un almacén tiene {a} palés. El equipo A mueve {p} por hora y el B {q}, pero B empieza tras {h} horas y el muelle cierra a las 8 horas. ¿Terminan? Si no, ¿cuántas horas extra necesita A solo, y cuál es la plantilla más barata si A cuesta {ca} €/h y B {cb} €/h?",
        zh="仓库有{a}个托盘。A组每小时搬{p}个，B组每小时{q}个，但B组{h}小时后才开工，装卸口8小时后关闭。能搬完吗？如果不能，A组单独还需加班几小时？若A组每小时成本{ca}元、B组{cb}元，最省钱的排班方案是什么？",
        ja="倉庫にパレットが{a}枚あります。Aチームは1時間に{p}枚、Bチームは{q}枚運べますが、Bは{h}時間後から作業開始で、荷受場は8時間で閉まります。終わりますか？終わらない場合、Aチーム単独であと何時間必要か、Aが時給{ca}円、Bが{cb}円のとき最も安い人員配置は何かを求めてください。",
    ),
    phrase(
        "proof",
        "complex",
        "imperative",
        en="Prove that {theorem}. Give a rigorous proof and point out where each assumption is used.",
        de="Beweise, dass {theorem}. Bitte ein sauberer Beweis, und zeig, wo welche Voraussetzung gebraucht wird.",
        fr="Démontre que {theorem}. Donne une preuve rigoureuse en indiquant où chaque hypothèse sert.",
        es="Demuestra que {theorem}. Da una demostración rigurosa e indica dónde se usa cada hipótesis.",
        zh="证明：{theorem}。请给出严格证明，并指出每个条件在哪里用到。",
        ja="{theorem}ことを証明してください。厳密に、各仮定がどこで使われるかも示してください。",
    ),
    phrase(
        "optimise-production",
        "complex",
        "constraints",
        en="We make two products. A earns {pa} profit and needs 2 h machining + 1 h assembly; B earns {pb} and needs 1 h machining + 3 h assembly. We have {m} machining hours and {s} assembly hours a week, and must ship at least 10 of B. Formulate the LP, solve it, and say which constraint we should relax first and what it is worth.",
        de="Wir fertigen zwei Produkte. A bringt {pa} € Deckungsbeitrag und braucht 2 h Fräsen + 1 h Montage, B bringt {pb} € und braucht 1 h Fräsen + 3 h Montage. Pro Woche haben wir {m} Fräs- und {s} Montagestunden und müssen mindestens 10 B liefern. Stell das LP auf, löse es und sag, welche Restriktion wir zuerst lockern sollten und was sie wert ist.",
        fr="Nous fabriquons deux produits. A rapporte {pa} € et demande 2 h d'usinage + 1 h d'assemblage ; B rapporte {pb} € et demande 1 h d'usinage + 3 h d'assemblage. Nous avons {m} h d'usinage et {s} h d'assemblage par semaine et devons livrer au moins 10 B. Formule le programme linéaire, résous-le et dis quelle contrainte relâcher en premier et ce qu'elle vaut.",
        es="Fabricamos dos productos. A deja {pa} € de margen y necesita 2 h de mecanizado + 1 h de montaje; B deja {pb} € y necesita 1 h de mecanizado + 3 h de montaje. Tenemos {m} h de mecanizado y {s} h de montaje por semana y hay que entregar al menos 10 de B. Plantea el programa lineal, resuélvelo e indica qué restricción conviene relajar primero y cuánto vale.",
        zh="我们生产两种产品。A每件利润{pa}元，需要机加工2小时、装配1小时；B每件利润{pb}元，需要机加工1小时、装配3小时。每周有{m}个机加工工时和{s}个装配工时，且B至少要交付10件。请建立线性规划模型并求解，再说明应优先放宽哪个约束、它的影子价格是多少。",
        ja="2種類の製品を作っています。Aは利益{pa}円で機械加工2時間・組立1時間、Bは利益{pb}円で機械加工1時間・組立3時間が必要です。週あたり機械加工{m}時間・組立{s}時間が使え、Bは最低10個出荷しなければなりません。線形計画問題として定式化して解き、どの制約を最初に緩めるべきか、その価値（シャドープライス）も示してください。",
    ),
    phrase(
        "bayes-test",
        "complex",
        "question",
        en="A screening test has {sens}% sensitivity and {spec}% specificity, and the condition affects 1 in {prev} people. If someone tests positive twice on independent tests, what's the probability they have it? Walk through it and explain why the single-test answer is so low.",
        de="Ein Screeningtest hat {sens} % Sensitivität und {spec} % Spezifität, die Erkrankung betrifft 1 von {prev} Personen. Wie wahrscheinlich ist sie bei zwei unabhängigen positiven Tests? Rechne es Schritt für Schritt vor und erkläre, warum der Wert bei nur einem Test so niedrig ist.",
        fr="Un test de dépistage a une sensibilité de {sens} % et une spécificité de {spec} %, et la maladie touche 1 personne sur {prev}. Si quelqu'un est positif à deux tests indépendants, quelle est la probabilité qu'il soit malade ? Détaille le calcul et explique pourquoi le résultat avec un seul test est si faible.",
        es="Una prueba de cribado tiene un {sens}% de sensibilidad y un {spec}% de especificidad, y la enfermedad afecta a 1 de cada {prev} personas. Si alguien da positivo en dos pruebas independientes, ¿qué probabilidad hay de que la tenga? Desarrolla el cálculo y explica por qué con una sola prueba sale tan bajo.",
        zh="某筛查试验灵敏度{sens}%、特异度{spec}%，患病率为{prev}分之一。如果一个人两次独立检测都呈阳性，他真正患病的概率是多少？请逐步推导，并解释为什么只测一次时这个概率这么低。",
        ja="ある検査の感度は{sens}%、特異度は{spec}%で、有病率は{prev}人に1人です。独立した2回の検査でともに陽性だった人が実際に罹患している確率は？順を追って計算し、1回だけの場合に確率が低くなる理由も説明してください。",
    ),
    phrase(
        "pricing-break-even",
        "complex",
        "short",
        en="Fixed costs {fixed}/month, unit cost {unit}, price {price}; demand drops {drop}% for every 1 increase in price. Find the profit-maximising price and the break-even volume at that price.",
        de="Fixkosten {fixed} €/Monat, Stückkosten {unit} €, Preis {price} €; pro 1 € Preiserhöhung sinkt die Nachfrage um {drop} %. Finde den gewinnmaximalen Preis und die Break-even-Menge bei diesem Preis.",
        fr="Coûts fixes {fixed} €/mois, coût unitaire {unit} €, prix {price} € ; la demande baisse de {drop} % par euro de hausse. Trouve le prix qui maximise le profit et le volume de point mort à ce prix.",
        es="Costes fijos {fixed} €/mes, coste unitario {unit} €, precio {price} €; la demanda cae un {drop}% por cada euro de subida. Halla el precio que maximiza el beneficio y el volumen de equilibrio a ese precio.",
        zh="每月固定成本{fixed}元，单位成本{unit}元，售价{price}元；价格每上涨1元，需求下降{drop}%。求利润最大化的价格，以及该价格下的盈亏平衡销量。",
        ja="固定費は月{fixed}円、単位原価{unit}円、価格{price}円で、価格を1円上げるごとに需要が{drop}%減ります。利益を最大化する価格と、その価格での損益分岐点販売量を求めてください。",
    ),
)

CONCEPTS = {
    "en": ["standard deviation", "a p-value", "compound interest", "the median vs the mean", "a weighted average"],
    "de": [
        "die Standardabweichung",
        "den p-Wert",
        "den Zinseszins",
        "Median und Mittelwert",
        "den gewichteten Durchschnitt",
    ],
    "fr": [
        "l'écart type",
        "la p-valeur",
        "les intérêts composés",
        "la médiane par rapport à la moyenne",
        "la moyenne pondérée",
    ],
    "es": [
        "la desviación típica",
        "el p-valor",
        "el interés compuesto",
        "la mediana frente a la media",
        "la media ponderada",
    ],
    "zh": ["标准差", "p值", "复利", "中位数和平均数的区别", "加权平均"],
    "ja": ["標準偏差", "p値", "複利", "中央値と平均値の違い", "加重平均"],
}
THEOREMS = {
    "en": [
        "the sum of the first n odd numbers is n²",
        "there are infinitely many primes",
        "√2 is irrational",
        "every tree with n nodes has n − 1 edges",
        "n³ − n is divisible by 6 for every integer n",
    ],
    "de": [
        "die Summe der ersten n ungeraden Zahlen n² ist",
        "es unendlich viele Primzahlen gibt",
        "√2 irrational ist",
        "jeder Baum mit n Knoten n − 1 Kanten hat",
        "n³ − n für jede ganze Zahl n durch 6 teilbar ist",
    ],
    "fr": [
        "la somme des n premiers nombres impairs vaut n²",
        "il existe une infinité de nombres premiers",
        "√2 est irrationnel",
        "tout arbre à n sommets a n − 1 arêtes",
        "n³ − n est divisible par 6 pour tout entier n",
    ],
    "es": [
        "la suma de los n primeros impares es n²",
        "hay infinitos números primos",
        "√2 es irracional",
        "todo árbol con n nodos tiene n − 1 aristas",
        "n³ − n es divisible entre 6 para todo entero n",
    ],
    "zh": [
        "前n个奇数之和等于n²",
        "素数有无穷多个",
        "√2是无理数",
        "有n个顶点的树恰有n − 1条边",
        "对任意整数n，n³ − n能被6整除",
    ],
    "ja": [
        "最初のn個の奇数の和がn²になる",
        "素数が無限に存在する",
        "√2が無理数である",
        "頂点n個の木の辺の数がn − 1である",
        "任意の整数nについてn³ − nが6で割り切れる",
    ],
}


def local_integer(low: int, high: int) -> Filler:
    """A wage or profit in local money: yen amounts run about 150 to the dollar, yuan about 7."""
    scale = {"ja": 150, "zh": 7}
    return lambda rng, lang: f"{rng.randint(low, high) * scale.get(lang, 1):,}"


FILLERS = {
    "a": integer(12, 999),
    "n": integer(3, 98),
    "b": integer(11, 999),
    "c": integer(20, 400),
    "f": pick([str(t) for t in (-4, 14, 32, 50, 72, 86, 98.6, 104, 350, 425)]),
    "meters": meter_readings,
    "concept": pick_lang(CONCEPTS),
    "theorem": pick_lang(THEOREMS),
    "rate": pick(["1.5", "2.25", "3", "3.8", "4.5"]),
    "years": integer(2, 15),
    "p": integer(18, 40),
    "q": integer(12, 35),
    "h": integer(1, 4),
    "ca": local_integer(28, 45),
    "cb": local_integer(22, 40),
    "pa": local_integer(30, 90),
    "pb": local_integer(40, 120),
    "m": integer(80, 200),
    "s": integer(90, 240),
    "sens": pick(["90", "95", "98", "99"]),
    "spec": pick(["90", "95", "97", "99"]),
    "prev": pick(["200", "500", "1000", "2500"]),
    "fixed": pick(["12,000", "40,000", "85,000"]),
    "unit": integer(4, 30),
    "price": integer(35, 90),
    "drop": pick(["2", "3", "4", "5"]),
}


SYSTEM_PROMPTS = {
    "en": ["You are a patient maths tutor.", "You are the analytics assistant of {company}. Show your working."],
    "de": [
        "Du bist ein geduldiger Mathe-Nachhilfelehrer.",
        "Du bist der Analyse-Assistent von {company}. Zeig den Rechenweg.",
    ],
    "fr": ["Tu es un professeur de maths patient.", "Tu es l'assistant d'analyse de {company}. Montre tes calculs."],
    "es": [
        "Eres un profesor de matemáticas paciente.",
        "Eres el asistente de análisis de {company}. Muestra los cálculos.",
    ],
    "zh": ["你是一位耐心的数学老师。", "你是{company}的数据分析助手，请写出计算过程。"],
    "ja": ["あなたは丁寧な数学の家庭教師です。", "あなたは{company}の分析アシスタントです。計算過程を示してください。"],
}

MATH = family(
    "math",
    "Arithmetic, conversions and lookups in pasted tables up to word problems, proofs, LP and probability.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
