# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""code: from "what does `git stash pop` do?" to finding a race condition and redesigning the locking."""

from __future__ import annotations

from benchmarks.corpus.families.group_b.code_bank import FILLERS
from benchmarks.corpus.families.group_b.engine import family, phrase

PHRASINGS = (
    # simple: one short answer whose means are in the prompt
    phrase(
        "explain-command",
        "simple",
        "question",
        en="What does `{command}` do?",
        de="Was macht `{command}` genau?",
        fr="Que fait la commande `{command}` ?",
        es="¿Qué hace `{command}`?",
        zh="`{command}` 这个命令是干什么的？",
        ja="`{command}` は何をするコマンドですか？",
    ),
    phrase(
        "one-liner-output",
        "simple",
        "terse",
        en="what does this print: {oneliner}",
        de="Was gibt das aus? {oneliner}",
        fr="Ça affiche quoi : {oneliner}",
        es="¿Qué imprime esto? {oneliner}",
        zh="这行代码输出什么：{oneliner}",
        ja="これの出力は？ {oneliner}",
    ),
    phrase(
        "regex-meaning",
        "simple",
        "polite",
        en="Could you tell me in one sentence what the regex {regex} matches?",
        de="Kannst du mir in einem Satz sagen, was der reguläre Ausdruck {regex} matcht?",
        fr="Pourriez-vous me dire en une phrase ce que la regex {regex} reconnaît ?",
        es="¿Me puedes decir en una frase qué valida la expresión regular {regex}?",
        zh="麻烦用一句话说明一下正则 {regex} 匹配的是什么。",
        ja="正規表現 {regex} が何にマッチするか、一文で教えてください。",
    ),
    phrase(
        "list-functions",
        "simple",
        "after-payload",
        en="{pysnippet}\nList the names of the functions defined above, nothing else.",
        de="{pysnippet}\nNenn mir nur die Namen der Funktionen, die hier definiert werden.",
        fr="{pysnippet}\nDonne uniquement les noms des fonctions définies dans ce code.",
        es="{pysnippet}\nDime solo los nombres de las funciones que se definen en este código.",
        zh="{pysnippet}\n只列出上面代码里定义的函数名，不要解释。",
        ja="{pysnippet}\n上のコードで定義されている関数名だけを列挙してください。",
    ),
    phrase(
        "find-error-line",
        "simple",
        "json",
        en='Which request ID got the HTTP 500 in this log? Reply as JSON {{"request_id": "..."}}.\n\n{log}',
        de='Welche Request-ID hat in diesem Log den HTTP-500 bekommen? Antworte als JSON {{"request_id": "..."}}.\n\n{log}',
        fr='Quel identifiant de requête a reçu le HTTP 500 dans ce log ? Réponds en JSON {{"request_id": "..."}}.\n\n{log}',
        es='¿Qué ID de petición devolvió el HTTP 500 en este log? Responde en JSON {{"request_id": "..."}}.\n\n{log}',
        zh='这段日志里哪个请求 ID 返回了 HTTP 500？用 JSON 回答：{{"request_id": "..."}}\n\n{log}',
        ja='このログで HTTP 500 を返したリクエスト ID はどれ？ JSON で {{"request_id": "..."}} の形で答えて。\n\n{log}',
    ),
    # medium: one small piece of code or text with a clear spec
    phrase(
        "write-function",
        "medium",
        "imperative",
        en="Write a Python function that {funcspec}. Include a couple of doctest examples.",
        de="Schreib eine Python-Funktion, die {funcspec}. Mit zwei, drei Doctests bitte.",
        fr="Écris une fonction Python qui {funcspec}, avec quelques exemples en doctest.",
        es="Escribe una función en Python que {funcspec}. Incluye un par de ejemplos con doctest.",
        zh="写一个 Python 函数，{funcspec}，附上两三个 doctest 例子。",
        ja="次の処理をする Python 関数を書いてください：{funcspec}。doctest の例も2、3個つけて。",
    ),
    phrase(
        "write-sql",
        "medium",
        "with-schema",
        en="Tables: customers(id, name, region), orders(id, customer_id, total, created_at). Write a PostgreSQL query for {sqlspec}.",
        de="Tabellen: customers(id, name, region), orders(id, customer_id, total, created_at). Schreib eine PostgreSQL-Abfrage für {sqlspec}.",
        fr="Tables : customers(id, name, region), orders(id, customer_id, total, created_at). Écris une requête PostgreSQL pour obtenir {sqlspec}.",
        es="Tablas: customers(id, name, region), orders(id, customer_id, total, created_at). Escribe una consulta PostgreSQL que devuelva {sqlspec}.",
        zh="表结构：customers(id, name, region)，orders(id, customer_id, total, created_at)。写一条 PostgreSQL 查询，找出{sqlspec}。",
        ja="テーブル：customers(id, name, region)、orders(id, customer_id, total, created_at)。{sqlspec}を求める PostgreSQL のクエリを書いてください。",
    ),
    phrase(
        "add-docstrings",
        "medium",
        "after-payload",
        en="{pysnippet}\n\nAdd type hints and short docstrings to this, don't change behaviour.",
        de="{pysnippet}\n\nBitte Typannotationen und kurze Docstrings ergänzen, Verhalten nicht ändern.",
        fr="{pysnippet}\n\nAjoute des annotations de type et de courtes docstrings, sans changer le comportement.",
        es="{pysnippet}\n\nAñade anotaciones de tipo y docstrings breves, sin cambiar el comportamiento.",
        zh="{pysnippet}\n\n给这段代码补上类型注解和简短的文档字符串，不要改变行为。",
        ja="{pysnippet}\n\nこのコードに型ヒントと短い docstring を追加してください。動作は変えないこと。",
    ),
    # complex: debugging, design, review, plans
    phrase(
        "race-condition",
        "complex",
        "after-payload",
        en="{concurrent}\n\nUnder load this sometimes double-processes the same record. Find the race condition, walk through the interleaving that triggers it, and redesign the locking so it is safe across several processes. Show the fixed code and explain how you'd test it.",
        de="{concurrent}\n\nUnter Last wird derselbe Datensatz manchmal doppelt verarbeitet. Finde die Race Condition, beschreibe die Verzahnung, die sie auslöst, und entwirf das Locking neu, sodass es über mehrere Prozesse hinweg sicher ist. Zeig den korrigierten Code und wie du ihn testen würdest.",
        fr="{concurrent}\n\nEn charge, le même enregistrement est parfois traité deux fois. Trouve la condition de course, décris l'entrelacement qui la déclenche et repense le verrouillage pour qu'il soit sûr entre plusieurs processus. Donne le code corrigé et la façon de le tester.",
        es="{concurrent}\n\nCon carga, a veces el mismo registro se procesa dos veces. Encuentra la condición de carrera, explica el entrelazado que la provoca y rediseña el bloqueo para que sea seguro entre varios procesos. Muestra el código corregido y cómo lo probarías.",
        zh="{concurrent}\n\n高并发时同一条记录偶尔会被处理两次。请找出竞态条件，说明触发它的执行交错顺序，重新设计加锁方案使其在多进程下安全，给出修改后的代码以及测试方法。",
        ja="{concurrent}\n\n負荷が高いと同じレコードが二重に処理されることがあります。競合状態を特定し、それが起きる実行順序を説明したうえで、複数プロセスでも安全なロック設計に作り直してください。修正後のコードとテスト方法も示してください。",
    ),
    phrase(
        "system-design",
        "complex",
        "short",
        en="Design {design}. Cover the data model, API, failure modes and how you'd load-test it.",
        de="Entwirf {design}: Datenmodell, API, Fehlerfälle und wie du es unter Last testen würdest.",
        fr="Conçois {design} : modèle de données, API, modes de défaillance et stratégie de test de charge.",
        es="Diseña {design}: modelo de datos, API, modos de fallo y cómo harías las pruebas de carga.",
        zh="设计{design}，说明数据模型、接口、故障场景以及压测方案。",
        ja="{design}を設計してください。データモデル、API、障害時の挙動、負荷試験の方法まで含めて。",
    ),
    phrase(
        "security-review",
        "complex",
        "imperative",
        en="Review this for security and performance problems, rank them by severity with a one-line justification each, then rewrite the worst two without changing the public interface:\n\n{snippet}",
        de="Prüf den Code auf Sicherheits- und Performanceprobleme, sortiere sie nach Schwere mit je einer Begründung und schreib die zwei schlimmsten Stellen neu, ohne die öffentliche Schnittstelle zu ändern:\n\n{snippet}",
        fr="Passe ce code en revue (sécurité et performance), classe les problèmes par gravité avec une justification chacun, puis réécris les deux pires sans changer l'interface publique :\n\n{snippet}",
        es="Revisa este código en busca de problemas de seguridad y rendimiento, ordénalos por gravedad con una justificación cada uno y reescribe los dos peores sin cambiar la interfaz pública:\n\n{snippet}",
        zh="请审查下面代码的安全和性能问题，按严重程度排序并各给一句理由，然后在不改变对外接口的前提下重写最严重的两处：\n\n{snippet}",
        ja="次のコードをセキュリティと性能の観点でレビューし、問題を深刻度順に並べてそれぞれ理由を一言添え、公開インターフェースを変えずに最も悪い2箇所を書き直してください。\n\n{snippet}",
    ),
    phrase(
        "zero-downtime-migration",
        "complex",
        "question",
        en="How would you move {migration} with zero downtime? I need the step-by-step plan, rollback points, and how we verify the data matches before cutover.",
        de="Wie würdet ihr {migration} ohne Downtime umziehen? Ich brauche einen Schritt-für-Schritt-Plan, Rollback-Punkte und wie wir vor dem Umschalten prüfen, dass die Daten übereinstimmen.",
        fr="Comment migrer {migration} sans interruption de service ? Il me faut le plan étape par étape, les points de retour arrière et la façon de vérifier la cohérence des données avant la bascule.",
        es="¿Cómo migrarías {migration} sin tiempo de inactividad? Necesito el plan paso a paso, los puntos de vuelta atrás y cómo comprobar que los datos coinciden antes del cambio.",
        zh="我们要{migration}，要求零停机。请给出分步方案、每一步的回滚点，以及切换前如何校验数据一致。",
        ja="{migration}を無停止で行うにはどうすればよいですか？手順ごとの計画、ロールバックポイント、切り替え前にデータの整合性を確認する方法を教えてください。",
    ),
    phrase(
        "root-cause-logs",
        "complex",
        "polite",
        en="Since yesterday's deploy the checkout service keeps timing out. Could you go through these logs, identify the most likely root cause, list the evidence for and against it, and propose code and config changes plus an alert that would have caught it?\n\n{log}",
        de="Seit dem Deploy gestern läuft der Checkout-Service ständig in Timeouts. Könntest du die Logs durchgehen, die wahrscheinlichste Ursache bestimmen, Belege dafür und dagegen auflisten und Änderungen an Code und Konfiguration vorschlagen, dazu einen Alarm, der das früher erkannt hätte?\n\n{log}",
        fr="Depuis le déploiement d'hier, le service de paiement part en timeout. Pourrais-tu analyser ces logs, identifier la cause la plus probable, lister les éléments pour et contre, et proposer des changements de code et de configuration ainsi qu'une alerte qui l'aurait détecté ?\n\n{log}",
        es="Desde el despliegue de ayer el servicio de checkout no para de dar timeouts. ¿Podrías revisar estos logs, identificar la causa raíz más probable, enumerar las pruebas a favor y en contra, y proponer cambios de código y configuración, además de una alerta que lo hubiera detectado?\n\n{log}",
        zh="昨天发版之后结算服务一直超时。麻烦看一下这些日志，找出最可能的根因，列出支持和反对的证据，并提出代码和配置上的修改，以及一个能提前发现问题的告警。\n\n{log}",
        ja="昨日のデプロイ以降、決済サービスがタイムアウトし続けています。このログを確認して最も可能性の高い根本原因を特定し、裏付けと反証を挙げたうえで、コードと設定の修正案、そして事前に検知できたはずのアラートを提案していただけますか。\n\n{log}",
    ),
)

SYSTEM_PROMPTS = {
    "en": [
        "You are a senior software engineer at {company}. Answer concisely.",
        "You are the internal developer assistant of {company}'s platform team.",
    ],
    "de": [
        "Du bist ein erfahrener Softwareentwickler bei {company}. Antworte knapp.",
        "Du bist der interne Entwicklerassistent von {company}.",
    ],
    "fr": [
        "Tu es un développeur senior chez {company}. Réponds de façon concise.",
        "Vous êtes l'assistant développeur interne de {company}.",
    ],
    "es": [
        "Eres un ingeniero de software sénior en {company}. Responde de forma concisa.",
        "Eres el asistente interno para desarrolladores de {company}.",
    ],
    "zh": ["你是{company}的资深软件工程师，回答要简洁。", "你是{company}平台团队的内部开发助手。"],
    "ja": [
        "あなたは{company}のシニアソフトウェアエンジニアです。簡潔に答えてください。",
        "あなたは{company}の社内開発者向けアシスタントです。",
    ],
}

CODE = family(
    "code",
    "Programming questions, from explaining one command or one-liner to debugging races, reviews and system design.",
    PHRASINGS,
    FILLERS,
    SYSTEM_PROMPTS,
)
