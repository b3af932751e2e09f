# Natural-language text banks: long sentences and CJK full-width punctuation are the content, not style slips.
# ruff: noqa: E501, RUF001
"""Pasted code, logs and specs for the code family (code reads the same in every language; the ask does not)."""

from __future__ import annotations

import random

from benchmarks.corpus.families.group_b.code_snippets import CONCURRENT, PYTHON, SNIPPETS
from benchmarks.corpus.families.group_b.engine import Filler, pick, pick_lang

COMMANDS = [
    "git stash pop",
    "git rebase -i HEAD~3",
    "git reset --soft HEAD~1",
    "docker compose down -v",
    "kubectl rollout undo deployment/api",
    "grep -rn TODO src/",
    "tar -xzf backup.tar.gz -C /opt",
    "git cherry-pick a1b2c3d",
    "chmod 640 .env",
    "ssh -L 5432:localhost:5432 bastion",
    "npm ci",
    "pip install -e .",
    "git bisect start",
]
ONE_LINERS = [
    "print(sorted({3, 1, 2}, reverse=True))",
    "print(len('héllo'))",
    "print([i * i for i in range(4)])",
    "print('a,b,,c'.split(','))",
    "console.log([1, 2, 3].map(x => x * 2).join('-'))",
    "print(7 // 2, 7 % 2)",
    "console.log(typeof null)",
    "print(bool([]) or 'empty')",
    "print({'a': 1} | {'b': 2})",
    "console.log('5' + 3)",
    "print(round(2.5), round(3.5))",
]
REGEXES = [
    r"^\d{5}(-\d{4})?$",
    r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$",
    r"(?i)^inv-\d{4}-\d{3,}$",
    r"\b\d{1,3}(\.\d{1,3}){3}\b",
    r"^[\w.+-]+@[\w-]+\.[\w.]+$",
    r"^\+?\d{1,3}[ -]?\d{3,4}[ -]?\d{4}$",
]
FUNCTION_SPECS = {
    "en": [
        "validates an IBAN (mod-97 check)",
        "parses an ISO 8601 duration like PT1H30M into seconds",
        "converts a Roman numeral to an integer",
        "masks all but the last four digits of a card number",
        "checks whether a date falls on a weekend or on one of a given list of holidays",
        "normalises phone numbers to E.164 for a given default country",
    ],
    "de": [
        "eine IBAN validiert (Prüfsumme mod 97)",
        "eine deutsche Steuer-ID auf Plausibilität prüft",
        "eine ISO-8601-Dauer wie PT1H30M in Sekunden umrechnet",
        "alle Ziffern einer Kartennummer bis auf die letzten vier maskiert",
        "prüft, ob ein Datum ein Wochenende oder ein Feiertag aus einer Liste ist",
    ],
    "fr": [
        "valide un IBAN (contrôle modulo 97)",
        "vérifie un numéro SIRET avec l'algorithme de Luhn",
        "convertit une durée ISO 8601 comme PT1H30M en secondes",
        "masque tous les chiffres d'un numéro de carte sauf les quatre derniers",
        "normalise un numéro de téléphone français au format E.164",
    ],
    "es": [
        "valida un IBAN (control módulo 97)",
        "comprueba la letra de un DNI español",
        "convierte una duración ISO 8601 como PT1H30M en segundos",
        "enmascara todos los dígitos de una tarjeta salvo los cuatro últimos",
        "divide una lista en bloques de n elementos",
    ],
    "zh": [
        "校验18位身份证号码的校验位",
        "把形如 PT1H30M 的 ISO 8601 时长转换成秒数",
        "将金额数字转换成中文大写（如 壹佰贰拾叁元整）",
        "对银行卡号做脱敏，只保留后四位",
        "判断某个日期是否为周末或给定节假日列表中的一天",
    ],
    "ja": [
        "全角英数字を半角に変換する",
        "ISO 8601 形式の期間（PT1H30M など）を秒に変換する",
        "郵便番号（123-4567 形式）を検証する",
        "クレジットカード番号を下4桁以外マスクする",
        "日付が土日または指定した祝日リストに含まれるか判定する",
    ],
}
SQL_SPECS = {
    "en": [
        "the top 5 customers by total spend in the last 90 days",
        "each month's order count and average order value for 2025",
        "customers who ordered once and never again",
        "duplicate orders (same customer, same total, within 5 minutes)",
    ],
    "de": [
        "die 5 umsatzstärksten Kunden der letzten 90 Tage",
        "Anzahl und Durchschnittswert der Bestellungen pro Monat 2025",
        "Kunden, die genau einmal bestellt haben",
        "doppelte Bestellungen (gleicher Kunde, gleicher Betrag, innerhalb von 5 Minuten)",
    ],
    "fr": [
        "les 5 meilleurs clients en chiffre d'affaires sur les 90 derniers jours",
        "le nombre de commandes et le panier moyen par mois en 2025",
        "les clients qui n'ont commandé qu'une seule fois",
        "les commandes en double (même client, même montant, à moins de 5 minutes)",
    ],
    "es": [
        "los 5 clientes con más gasto en los últimos 90 días",
        "el número de pedidos y el ticket medio por mes en 2025",
        "los clientes que solo han comprado una vez",
        "los pedidos duplicados (mismo cliente, mismo importe, en menos de 5 minutos)",
    ],
    "zh": [
        "近90天消费总额最高的前5名客户",
        "2025年每个月的订单数和客单价",
        "只下过一次单的客户",
        "重复订单（同一客户、同一金额、5分钟内）",
    ],
    "ja": [
        "直近90日間の購入金額上位5名の顧客",
        "2025年の月別注文件数と平均注文額",
        "一度しか注文していない顧客",
        "重複注文（同じ顧客・同じ金額・5分以内）",
    ],
}
DESIGNS = {
    "en": [
        "a rate limiter for a multi-region API",
        "an idempotent payment webhook handler",
        "a job queue with retries, backoff and a dead-letter queue",
        "a feature-flag service with per-tenant rollouts",
        "a tamper-evident audit log",
        "an offline-first sync protocol for a field-service mobile app",
        "a URL shortener that handles 50k writes per second",
    ],
    "de": [
        "einen Rate-Limiter für eine API in mehreren Regionen",
        "einen idempotenten Webhook-Handler für Zahlungen",
        "eine Job-Queue mit Retries, Backoff und Dead-Letter-Queue",
        "ein manipulationssicheres Audit-Log",
        "einen Feature-Flag-Dienst mit Rollouts pro Mandant",
    ],
    "fr": [
        "un limiteur de débit pour une API multi-région",
        "un gestionnaire de webhooks de paiement idempotent",
        "une file de tâches avec reprises, backoff et file de lettres mortes",
        "un journal d'audit infalsifiable",
        "un service de feature flags avec déploiement par client",
    ],
    "es": [
        "un limitador de peticiones para una API multirregión",
        "un manejador idempotente de webhooks de pago",
        "una cola de trabajos con reintentos, backoff y cola de mensajes fallidos",
        "un registro de auditoría a prueba de manipulaciones",
        "un servicio de feature flags con despliegue por cliente",
    ],
    "zh": [
        "一个跨多个地域的 API 限流器",
        "一个幂等的支付回调（webhook）处理服务",
        "一个带重试、退避和死信队列的任务队列",
        "一个防篡改的审计日志系统",
        "一个支持按租户灰度发布的功能开关服务",
    ],
    "ja": [
        "マルチリージョン API 向けのレートリミッター",
        "冪等な決済 Webhook ハンドラー",
        "リトライ・バックオフ・デッドレターキュー付きのジョブキュー",
        "改ざん検知可能な監査ログ",
        "テナント単位で段階リリースできるフィーチャーフラグ基盤",
    ],
}
MIGRATIONS = {
    "en": [
        "our 2 TB orders table from MySQL 5.7 to PostgreSQL 16",
        "user sessions from in-memory storage to Redis",
        "the billing module out of the monolith into its own service",
        "authentication from home-grown tokens to OIDC",
    ],
    "de": [
        "unsere 2 TB große Bestelltabelle von MySQL 5.7 auf PostgreSQL 16",
        "die Sessions aus dem Arbeitsspeicher nach Redis",
        "das Abrechnungsmodul aus dem Monolithen in einen eigenen Dienst",
        "die Anmeldung von selbstgebauten Tokens auf OIDC",
    ],
    "fr": [
        "notre table de commandes de 2 To de MySQL 5.7 vers PostgreSQL 16",
        "les sessions utilisateur de la mémoire vers Redis",
        "le module de facturation du monolithe vers un service dédié",
        "l'authentification de nos jetons maison vers OIDC",
    ],
    "es": [
        "nuestra tabla de pedidos de 2 TB de MySQL 5.7 a PostgreSQL 16",
        "las sesiones de usuario de memoria a Redis",
        "el módulo de facturación del monolito a un servicio propio",
        "la autenticación de tokens propios a OIDC",
    ],
    "zh": [
        "把 2TB 的订单表从 MySQL 5.7 迁移到 PostgreSQL 16",
        "把用户会话从进程内存迁到 Redis",
        "把计费模块从单体应用拆成独立服务",
        "把自研的登录令牌切换到 OIDC",
    ],
    "ja": [
        "2TB の注文テーブルを MySQL 5.7 から PostgreSQL 16 へ移行",
        "ユーザーセッションをインメモリから Redis へ移行",
        "モノリスから請求モジュールを独立サービスに切り出し",
        "自前のトークン認証を OIDC に切り替え",
    ],
}


def log_excerpt(rng: random.Random, lang: str) -> str:
    """Twenty-odd access and app log lines with exactly one 500 and a slow database trend."""
    services = ["checkout", "cart", "payments", "auth"]
    lines = []
    bad = rng.randrange(6, 18)
    for i in range(22):
        minute, second = 10 + i // 3, (i * 7) % 60
        rid = f"req-{rng.randrange(16**6):06x}"
        svc = rng.choice(services)
        latency = 40 + i * rng.randint(20, 60)
        if i == bad:
            lines.append(
                f"2026-03-14T09:{minute:02d}:{second:02d}Z ERROR {svc} {rid} POST /api/v2/orders 500 {latency}ms psycopg2.OperationalError: connection pool exhausted (size=20)"
            )
        elif i % 5 == 4:
            lines.append(
                f"2026-03-14T09:{minute:02d}:{second:02d}Z WARN  {svc} {rid} db query took {latency * 3}ms: SELECT * FROM order_items WHERE order_id = $1"
            )
        else:
            lines.append(f"2026-03-14T09:{minute:02d}:{second:02d}Z INFO  {svc} {rid} GET /api/v2/cart 200 {latency}ms")
    return "\n".join(lines)


FILLERS: dict[str, Filler] = {
    "snippet": pick(SNIPPETS),
    "pysnippet": pick(PYTHON),
    "concurrent": pick(CONCURRENT),
    "command": pick(COMMANDS),
    "oneliner": pick(ONE_LINERS),
    "regex": pick(REGEXES),
    "funcspec": pick_lang(FUNCTION_SPECS),
    "sqlspec": pick_lang(SQL_SPECS),
    "design": pick_lang(DESIGNS),
    "migration": pick_lang(MIGRATIONS),
    "log": log_excerpt,
}
