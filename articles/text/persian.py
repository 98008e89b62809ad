"""Persian stopwords, attachable affixes and a conservative light stemmer.

All word lists are in normalised form (``normalize``): ی and ک, no harakat, آ folded to ا,
no ZWNJ.
"""

from __future__ import annotations

from functools import lru_cache

FA_STOPWORDS: frozenset[str] = frozenset(
    """
    و در به از که این ان را با است برای بر تا یا هم نیز اما ولی اگر چون چه چرا کجا
    یک دو خود ما من تو او وی ایشان انها اینها شما انان مرا ترا
    بود بودند بوده باشد باشند هست هستند نیست نیستند شد شده شدند شود شوند میشود میشوند
    کرد کرده کردند کند کنند میکند میکنند خواهد خواهند داشت دارد دارند داشته
    ها های هایی می نمی همه همین همان هر هیچ چند چنین چنان دیگر دیگری بین پس پیش
    روی زیر بالای نزد طی ضمن درباره مانند مثل بی بدون جز غیر حتی البته نه بله
    ای انکه اینکه چنانچه زیرا لذا سپس همچنین هنوز باید نباید
    توسط علیه کنار سوی طرف وقتی تنها فقط
    """.split()
)

# Prefixes written with ZWNJ, a space or joined to the verb (or adjective, for بی).
FA_PREFIXES: frozenset[str] = frozenset({"می", "نمی", "بی"})

# Suffixes that attach to the word before them when written with a space.
FA_SPACE_SUFFIXES: frozenset[str] = frozenset(
    {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "تر", "ترین"}
)
# Attach with a space only after a word ending in ه (خانه ای, رفته اند, خانه اش): elsewhere
# these are words of their own (ای vocative, ...).
FA_SPACE_SUFFIXES_AFTER_HEH: frozenset[str] = frozenset(
    {"ای", "ی", "ام", "ات", "اش", "ایم", "اید", "اند"}
)
# Suffixes that attach when written after a ZWNJ.
FA_ZWNJ_SUFFIXES: frozenset[str] = (
    FA_SPACE_SUFFIXES
    | FA_SPACE_SUFFIXES_AFTER_HEH
    | frozenset({"تری", "ترها", "یی", "شان", "تان", "مان", "ست"})
)
# The ezafe ی and the indefinite ای after a final ه are dropped when attached: joined they
# would read as the plural suffix of a different word (خانه+ای = خان+های).
FA_DROPPED_AFTER_HEH: frozenset[str] = frozenset({"ی", "ای"})

# Plural, comparative and possessive endings, longest first per group.
_PLURAL_HA = ("هایشان", "هایتان", "هایمان", "هایی", "هایم", "هایت", "هایش", "های", "ها")
# Only the unambiguous ones: ام/ات after ه would cut سهام, اتهام, جهات.
_AFTER_HEH = ("ایم", "اید", "اند", "اش")
_COMPARATIVE = ("ترین", "تر")

# Words that merely end in a suffix's letters.
_NOT_PLURAL_HA = frozenset({"تنها", "رها", "بها", "اینها", "انها", "سها", "شاها"})
_NOT_COMPARATIVE = frozenset(
    """
    دفتر دختر دکتر چتر شتر بستر کبوتر متر کیلومتر سانتیمتر میلیمتر کامپیوتر تئاتر تیاتر
    فیلتر تیتر توییتر اختر پوستر هلیکوپتر اکتر کاراکتر پارامتر کنتر سنتر ویکتور اکستر
    منچستر لستر کریستر تراکتر ابتر
    """.split()
)
_NOT_PLURAL_AN = frozenset(
    """
    ایران تهران زمان سازمان جهان زبان میدان خیابان پایان جریان امکان مکان انسان اسمان باران
    جوان نوجوان کاروان دوران بحران میزان درمان ایمان قران پیمان فرمان بیان بنیان کیهان
    پنهان عنوان دیوان ایوان لبنان یونان اذربایجان کرمان اصفهان همدان زنجان سمنان گیلان
    خراسان مازندران گرگان هرمزگان رفسنجان سیرجان گچساران ابادان شمیران نیاوران دامغان
    زاهدان خاوران سلیمان پارلمان کاپیتان زلاتان طالبان تایوان سودان اطمینان فراوان درخشان
    پریشان کاشان لرزان ویران حیران تاوان میهمان سلطان شیطان طوفان امتحان کارگردان
    ریحان کتمان برهان عرفان همچنان میتوان نمیتوان زندان دندان خاندان میدان گلدان چمدان
    فقدان وجدان بیابان لیوان گریبان سپاهان ارمغان
    """.split()
)
# Words ending in these are not plurals in ان: استان/افغانستان, زبان/دروازهبان,
# ساختمان/قهرمان, کاشان, and pronominal endings (کشورمان, خودشان).
_NOT_PLURAL_AN_ENDINGS = ("ستان", "بان", "مان", "شان", "تان", "جوان")
_NOT_PLURAL_GAN = frozenset({"هرمزگان", "رایگان", "گروگان", "بازرگان", "ارگان", "مهرگان"})
_NOT_PLURAL_AT = frozenset(
    """
    حیات ثبات نجات زکات صلوات مساوات اوقات ملاقات برات سوغات ممات وفات صفات نبات سادات
    """.split()
)
# Plurals the suffix rules get wrong: ات plurals of words in ه, and short ان plurals.
_IRREGULAR = {
    **{
        plural: plural[:-2] + "ه"
        for plural in """
        مسابقات مذاکرات حملات ضدحملات ضربات جلسات مطالبات شایعات ادارات محاسبات مطالعات
        لحظات معاملات نشریات موسسات مصوبات مبارزات مقالات معاینات مبادلات صفحات کلمات
        مجلات جملات نظریات مکالمات مناظرات ملاحظات مراجعات معادلات موقوفات روحیات
        """.split()
    },
    "خدمات": "خدمت",
    "ولایات": "ولایت",
    "مردان": "مرد",
    "زنان": "زن",
    "پسران": "پسر",
    "سران": "سر",
    "یاران": "یار",
    "دوستان": "دوست",
}


def _strip(word: str, suffix: str, min_stem: int) -> str | None:
    if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
        return word[: -len(suffix)]
    return None


def _inflection(word: str) -> str:
    """``word`` without one plural ها, comparative or pronominal ending."""
    if word.endswith("ه" + "های") and len(word) >= 5:  # خانههای
        return word[:-3]
    if word not in _NOT_PLURAL_HA:
        for suffix in _PLURAL_HA:
            stem = _strip(word, suffix, 2)
            if stem is not None:
                return stem
    for suffix in _AFTER_HEH:
        if word.endswith("ه" + suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    if word not in _NOT_COMPARATIVE:
        stem = _strip(word, "ترین", 3) or _strip(word, "تر", 3)
        if stem is not None:
            return stem
    return word


def _plural(word: str) -> str:
    """``word`` without a plural ان/گان/ات or an ezafe ی after a vowel."""
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    if word.endswith("ان") and len(word) >= 6:
        if word.endswith("گان") and word not in _NOT_PLURAL_GAN:  # نمایندگان -> نماینده
            return word[:-3] + "ه"
        if word.endswith(("ایان", "ویان")):  # اقایان, دانشجویان
            return word[:-3]
    if (
        word.endswith("ان")
        and word not in _NOT_PLURAL_AN
        and not word.endswith(_NOT_PLURAL_AN_ENDINGS)
    ):
        stem = _strip(word, "ان", 4)
        if stem is not None:
            return stem
    if word.endswith("ات") and word not in _NOT_PLURAL_AT:
        stem = _strip(word, "ات", 3)
        if stem is not None:
            return stem
    if word.endswith(("ای", "وی")) and len(word) >= 4:  # صدای, هوای, دانشجوی (ezafe)
        return word[:-1]
    return word


@lru_cache(maxsize=100_000)
def stem_fa(word: str) -> str:
    """Light Persian stemmer: strips one inflection (ها، تر، ترین، اند…) and one plural.

    Conservative on purpose: minimum stem lengths and exception lists keep words that
    merely end in a suffix's letters (ایران, دفتر, تنها, طالبان) whole, and a short list
    handles plurals the rules get wrong (مسابقات -> مسابقه). The plural rules also run after
    ها is stripped, so that a word and its ها plural always share a stem. Verbs are left
    alone.
    """
    if len(word) < 3 or not ("\u0600" <= word[-1] <= "\u06ff"):
        return word
    return _plural(_inflection(word))
