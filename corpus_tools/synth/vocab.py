"""The raw material of synthetic posts: word lists per language, emoji, flags, names and links.

Written for this project (no text is taken from real posts). Words are drawn by random bytes from
each list cycled to 256 entries (``TABLES``), so lists are kept at or under 256 words; what matters
for the tools under test is the mix of scripts and the shapes of text, not word frequencies.
No word is 'Forwarded' or an interface string of Telegram's web preview, so no generated line can
be mistaken for one.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


EN = _words("""
the of and to in for on with by at from as that this was were will has have had is are be it its
which who their our they we not but also all more new other after over about into than between
during against under within without through before while where when while both each many most
minister ministry foreign affairs government president parliament council committee delegation
meeting talks visit statement comment interview briefing summit forum conference session agenda
cooperation partnership dialogue relations agreement treaty memorandum protocol initiative project
programme strategy policy position approach principle framework mechanism platform format level
security stability peace development growth trade economy investment energy industry transport
agriculture technology science research education culture heritage history tourism health sport
region country nation state city capital border coast island river valley mountain province
people citizens youth students scientists experts journalists diplomats officials leaders partners
international regional bilateral multilateral global national local public joint mutual common
important key main major current further future recent annual regular special comprehensive
strategic practical constructive friendly productive sustainable reliable open fair equal
discussed noted stressed reaffirmed welcomed agreed signed confirmed announced presented opened
supported expressed highlighted reviewed outlined proposed continued strengthened expanded held
issues matters questions prospects priorities results steps measures efforts contacts ties
week month year day today yesterday tomorrow morning evening season decade century anniversary
exhibition festival concert award ceremony report survey study data figures network system
water food climate ocean forest space satellite railway airport port bridge road pipeline grid
""")

RU = _words("""
и в на с по для от из к о об при за под над между после перед во время без через также уже ещё
министр министерство иностранных дел правительство президент парламент совет комитет делегация
встреча переговоры визит заявление комментарий интервью брифинг саммит форум конференция сессия
сотрудничество партнёрство диалог отношения соглашение договор меморандум протокол инициатива
проект программа стратегия политика позиция подход принцип механизм платформа формат уровень
безопасность стабильность мир развитие рост торговля экономика инвестиции энергетика промышленность
транспорт сельское хозяйство технологии наука исследования образование культура наследие история
туризм здравоохранение спорт регион страна государство город столица граница побережье остров река
долина область народ граждане молодёжь студенты учёные эксперты журналисты дипломаты лидеры
партнёры международный региональный двусторонний многосторонний глобальный национальный местный
общий важный ключевой главный текущий дальнейший будущий ежегодный регулярный особый стратегический
практический конструктивный дружественный продуктивный устойчивый надёжный открытый равный
обсудили отметили подчеркнули подтвердили приветствовали договорились подписали объявили
представили открыли поддержали выразили рассмотрели предложили продолжили укрепили расширили
провели вопросы темы перспективы приоритеты результаты шаги меры усилия контакты связи неделя
месяц год день сегодня вчера завтра утром вечером сезон десятилетие век годовщина выставка
фестиваль концерт премия церемония доклад опрос исследование данные сеть система вода продовольствие
климат океан лес космос спутник железная дорога аэропорт порт мост трубопровод энергосистема
""")

ZH = _words("""
外交 部长 政府 总统 议会 委员会 代表团 会谈 访问 声明 评论 采访 记者会 峰会 论坛 会议 议程 合作
伙伴 对话 关系 协议 条约 备忘录 倡议 项目 计划 战略 政策 立场 原则 框架 机制 平台 安全 稳定 和平
发展 增长 贸易 经济 投资 能源 工业 交通 农业 技术 科学 研究 教育 文化 遗产 历史 旅游 卫生 体育
地区 国家 城市 首都 边境 海岸 岛屿 河流 山区 省份 人民 公民 青年 学生 专家 学者 外交官 官员 领导人
国际 区域 双边 多边 全球 全国 地方 公共 共同 重要 关键 主要 当前 未来 年度 定期 特别 全面 务实
友好 可持续 开放 公平 讨论 强调 重申 欢迎 同意 签署 确认 宣布 介绍 支持 表示 回顾 提出 继续 加强
扩大 举行 问题 前景 优先 成果 措施 努力 联系 今天 昨天 明天 上午 晚上 季节 世纪 周年 展览 节日
音乐会 颁奖 仪式 报告 调查 数据 网络 系统 水资源 粮食 气候 海洋 森林 航天 卫星 铁路 机场 港口
大桥 公路 管道 电网 新闻 消息 社会 市场 企业 产品 服务 创新 数字 智能 绿色 低碳 标准 质量 人才
""")

JA = _words("""
外務 大臣 政府 首相 国会 委員会 代表団 会談 訪問 声明 記者会見 首脳 会議 協力 関係 協定 条約
計画 戦略 政策 立場 原則 安全 安定 平和 発展 成長 貿易 経済 投資 エネルギー 産業 交通 農業 技術
科学 研究 教育 文化 遺産 歴史 観光 健康 スポーツ 地域 国家 都市 首都 国境 海岸 島 川 山 人々 市民
若者 学生 専門家 記者 外交官 指導者 国際 二国間 多国間 世界 全国 地方 共通 重要 主要 現在 将来
年次 定期 特別 包括的 友好 持続可能 議論 強調 再確認 歓迎 合意 署名 確認 発表 紹介 支持 表明 提案
継続 強化 拡大 開催 課題 展望 優先 成果 措置 努力 今日 昨日 明日 季節 世紀 周年 展示会 祭り 式典
報告 調査 データ ネットワーク システム 水 食料 気候 海洋 森林 宇宙 衛星 鉄道 空港 港 橋 道路 𠮷野
""")

# German, French and Spanish words with precomposed (NFC) diacritics.
EU = _words("""
Außenminister Gespräch Zusammenarbeit Bürger Wirtschaft Sicherheit Zukunft Gebäude Straße Brücke
Übereinkommen Lösung Frieden Entwicklung Regierung Öffentlichkeit Verhältnis größte schöne führen
für über während Grüße Märkte Länder Städte Häfen Universität Forschung Wissenschaft Gesundheit
coopération ministère étrangères délégation réunion développement sécurité économie société
première année région différents échanges équipe réussite intérêt étude énergie défense santé
très déjà après où là été créé célébré réaffirmé présenté signé accord fraternité égalité
años cooperación relación económica política energía región país países niños información
educación tecnología investigación reunión declaración día mañana más también así según través
""")

# Languages whose words are separated by spaces (near duplicates are planted only in these:
# shingling by whitespace means nothing in CJK text).
SPACED = frozenset({"en", "ru", "eu"})
# Share of posts in each language (the rest of the mix comes from emoji, flags, links and tags).
LANGUAGES = (("en", 0.45), ("ru", 0.30), ("zh", 0.12), ("ja", 0.05), ("eu", 0.08))

WORDS = {"en": EN, "ru": RU, "zh": ZH, "ja": JA, "eu": EU}
SENTENCE_END = {"en": ".!?", "ru": ".!?", "eu": ".!?", "zh": "。！？", "ja": "。！？"}
COMMA = {"en": ",", "ru": ",", "eu": ",", "zh": "，", "ja": "、"}
# Positions in the 256-token tables that end a sentence inside the token (about 11 words a
# sentence) and that carry a comma; past the first 40, where the short function words are.
_BREAKS = range(40, 256, 9)
_COMMAS = range(45, 256, 21)


def _table(lang: str) -> tuple[str, ...]:
    """256 tokens, so that one random byte picks one: the words (cycled), some with a comma and
    some ending a sentence inside the token ('noted. Trade', '合作。发展'), the next sentence
    starting with a capital. Built once, so a paragraph is one ``randbytes`` and a join."""
    words, ends, spaced = WORDS[lang], SENTENCE_END[lang], lang in SPACED
    table = [words[i % len(words)] for i in range(256)]
    for k, i in enumerate(_BREAKS):
        following = words[(7 * i + 3) % len(words)]
        end = ends[0] if k % 8 else ends[1 + k % 16 // 8]
        table[i] += end + (" " + following[0].upper() + following[1:] if spaced else following)
    for i in _COMMAS:
        if i not in _BREAKS:
            table[i] += COMMA[lang]
    return tuple(table)


TABLES = {lang: _table(lang) for lang in WORDS}

# Leading emoji of paragraphs: single code points (astral: 2 UTF-16 units), emoji with a
# variation selector, a keycap, ZWJ sequences and skin-tone modifiers, so that UTF-16 offsets
# differ from code-point offsets in every way Telegram's do.
EMOJI = (
    "💬", "🎙", "🗓", "📌", "🤝", "🏅", "👉", "🔹", "⚡️", "❗️", "☝️", "📎", "📃", "✍️", "🕯", "📩",
    "🌍", "🏛", "🎉", "📊", "🔬", "🚀", "🌱", "🎓", "🏆", "📚", "1️⃣", "👨‍💻", "👩‍🔬", "👍🏽", "🙌🏾",
    "🧑‍🤝‍🧑", "🏳️‍🌈", "❤️‍🔥", "☀️", "✅",
)
QUOTE_MARKS = (("«", "»"), ("“", "”"), ("„", "“"), ("「", "」"))
DIVIDER = "***"

# ISO 3166-1 alpha-2 codes drawn as flag emoji (pairs of regional indicator symbols).
FLAG_CODES = (
    "RU", "US", "CN", "IN", "BR", "ZA", "DE", "FR", "GB", "JP", "KR", "NE", "ML", "BF", "ET", "EG",
    "TR", "IR", "SA", "AE", "KZ", "BY", "RS", "HU", "SK", "CZ", "PL", "IT", "ES", "PT", "MX", "AR",
    "ID", "VN", "TH", "PK", "NG", "KE", "CU", "MN",
)


def flag(code: str) -> str:
    """The flag emoji of an ISO 3166-1 alpha-2 code.

    >>> flag("RU") == "\\U0001F1F7\\U0001F1FA"
    True
    """
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


FLAGS = tuple(flag(code) for code in FLAG_CODES)

# Channels posts are forwarded from (name, channel id); None: a user who hides their account.
FORWARD_SOURCES = (
    ("World Desk Daily", 1301000001), ("Science Digest 🔬", 1301000002), ("Новости регионов", 1301000003),
    ("科技前沿", 1301000004), ("Embassy Bulletin 🇺🇳", 1301000005), ("Harbour City Council", 1301000006),
    ("Культурная афиша", 1301000007), ("Green Energy Watch", 1301000008), ("経済ニュース", 1301000009),
    ("Mission in Geneva", 1301000010), ("Sports Centre Live ⚽️", 1301000011), ("Café Européen", 1301000012),
    ("Maria Sokolova", None), ("Li Wei", None), ("J. Smith", None),
)
AUTHORS = ("Anna K.", "Иван Петров", "王磊", "Editorial Team", "Marie Dubois", "Ольга С.", "佐藤 健")
USERNAMES = (
    "worlddesk", "science_digest", "regions_news", "tech_frontier", "embassy_bulletin", "harbour_city",
    "culture_poster", "green_watch", "keizai_news", "geneva_mission", "sports_live", "cafe_europeen",
)
LINK_HOSTS = ("https://example.org/news/", "https://example.com/en/article/", "https://example.net/ru/",
              "https://t.me/worlddesk/", "https://t.me/science_digest/")
LINK_LABELS = {"en": ("source", "details", "the full text", "video"), "ru": ("источник", "подробнее", "видео"),
               "eu": ("Quelle", "détails", "fuente"), "zh": ("来源", "详情"), "ja": ("出典", "詳細")}
READ_IN_FULL = "Read in full"
REACTIONS = ("👍", "❤", "🔥", "👏", "🤔", "😢", "🙏", "👎", "🎉", "😁")

# Names of the (invented) persons of group chats: (name, Latin form for usernames and e-mail
# addresses) per language. Surnames are ones that do not change with gender. Few enough that some
# persons share a name, as people do.
FIRST_NAMES = {
    "en": (("James", "james"), ("Emily", "emily"), ("Oliver", "oliver"), ("Sophie", "sophie"), ("Daniel", "daniel"),
           ("Grace", "grace"), ("Michael", "michael"), ("Hannah", "hannah"), ("Thomas", "thomas"), ("Chloe", "chloe")),
    "ru": (("Анна", "anna"), ("Дмитрий", "dmitry"), ("Елена", "elena"), ("Сергей", "sergey"), ("Ольга", "olga"),
           ("Михаил", "mikhail"), ("Наталья", "natalia"), ("Алексей", "alexey"), ("Ирина", "irina"),
           ("Павел", "pavel")),
    "zh": (("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("磊", "lei"), ("婷", "ting")),
    "ja": (("健", "ken"), ("陽子", "yoko"), ("翔", "sho"), ("美咲", "misaki"), ("大輔", "daisuke"), ("愛", "ai")),
    "eu": (("Jürgen", "juergen"), ("Zoé", "zoe"), ("José", "jose"), ("Léa", "lea"), ("Björn", "bjoern"),
           ("Inés", "ines"), ("François", "francois"), ("Renée", "renee")),
}
LAST_NAMES = {
    "en": (("Carter", "carter"), ("Hughes", "hughes"), ("Bennett", "bennett"), ("Foster", "foster"),
           ("Morgan", "morgan"), ("Reed", "reed"), ("Walsh", "walsh"), ("Turner", "turner")),
    "ru": (("Коваленко", "kovalenko"), ("Бондаренко", "bondarenko"), ("Ткаченко", "tkachenko"), ("Мельник", "melnik"),
           ("Кравец", "kravets"), ("Ким", "kim"), ("Савченко", "savchenko"), ("Марченко", "marchenko")),
    "zh": (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang")),
    "ja": (("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("渡辺", "watanabe")),
    "eu": (("Müller", "mueller"), ("Dubois", "dubois"), ("García", "garcia"), ("Lefèvre", "lefevre"),
           ("Schäfer", "schaefer"), ("Núñez", "nunez"), ("Weiß", "weiss")),
}
# Bots of group chats: display name and the start of a username (a bot's username ends in 'bot').
BOTS = (("Welcome Helper", "welcome_helper"), ("Poll Master", "pollmaster"), ("Group Guard", "group_guard"),
        ("Daily Digest", "daily_digest"), ("Translate It", "translate_it"), ("Remind Me", "remindme_helper"))
BIOS = ("Coffee, trains and long reads.", "Собираю новости региона.", "喜欢旅行和摄影。", "Journaliste, Genève.",
        "Open data enthusiast 📊")
EMAIL_HOSTS = ("example.org", "example.com", "example.net", "mail.example")
