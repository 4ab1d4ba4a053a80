"""The invented people of the demo. None of them exists; none is a party to the real 2010–2012
Almaty case. Spellings follow the habits of the region's paperwork: the person's own script
(Tajik Cyrillic, Uzbek Latin), the Russian Cyrillic of court files, older Latin spellings."""

import datetime
from dataclasses import dataclass

from people.choices import NameKind, Sex

d = datetime.date
TL, MIS = NameKind.TRANSLITERATION, NameKind.MISSPELLING
TJ_LANGUAGES = ("tg", "ru", "uz")


@dataclass(frozen=True)
class Someone:
    """An invented person. ``born`` as an int is a year only (precision ``year``)."""

    family_name: str
    given_name: str
    patronymic: str
    born: int | datetime.date
    citizenship: str
    birth_place: str
    native: str = ""  # the name as the person writes it
    russian: str = ""  # the Cyrillic of Russian-language court files
    variants: tuple[tuple[str, str], ...] = ()  # other Latin spellings: (name, kind)
    sex: str = Sex.MALE
    languages: tuple[str, ...] = ("uz", "ru")


# The fourteen men of the group case ALA-2010-001.
GROUP = (
    Someone("Ergashbekov", "Dilshod", "Anvarovich", d(1978, 4, 12), "UZ", "Andijan, Uzbekistan",
            russian="Эргашбеков Дильшод Анварович", variants=(("Ergashbekhov Dilshod", MIS),)),
    Someone("Tolibjonov", "Sardor", "Kamolovich", 1983, "UZ", "Namangan, Uzbekistan",
            russian="Толибжонов Сардор Камолович", variants=(("Tolibzhonov Sardor", TL),)),
    Someone("Rahimberdiev", "Jasur", "Olimovich", d(1975, 9, 3), "UZ", "Andijan, Uzbekistan",
            russian="Рахимбердиев Жасур Олимович", variants=(("Rakhimberdiyev Zhasur", TL),)),
    Someone("Sobirxonov", "Farrukh", "Baxtiyorovich", d(1986, 1, 27), "UZ", "Fergana, Uzbekistan",
            variants=(("Sobirkhonov Farrukh", TL),)),
    Someone("Mirzoqulov", "Bekzod", "Ilhomovich", 1981, "UZ", "Kokand, Uzbekistan",
            russian="Мирзокулов Бекзод Ильхомович"),
    Someone("Qurbonaliev", "Sherali", "Davronovich", d(1979, 11, 30), "TJ", "Khujand, Tajikistan",
            native="Қурбоналиев Шерали Давронович", russian="Курбоналиев Шерали Давронович",
            variants=(("Kurbonaliev Sherali", TL),), languages=TJ_LANGUAGES),
    Someone("Yoldoshbekov", "Akmal", "Tohirovich", d(1984, 6, 18), "UZ", "Andijan, Uzbekistan",
            russian="Юлдошбеков Акмал Тохирович", variants=(("Yuldoshbekov Akmal", TL),)),
    Someone("Ismoilzoda", "Firdavs", "Saidovich", 1988, "TJ", "Isfara, Tajikistan",
            native="Исмоилзода Фирдавс Саидович", languages=TJ_LANGUAGES),
    Someone("Hamidjonov", "Otabek", "Shuhratovich", d(1980, 2, 9), "UZ", "Namangan, Uzbekistan",
            variants=(("Khamidzhonov Otabek", TL), ("Hamidjanov Otabek", MIS))),
    Someone("Abdulhakimov", "Zafar", "Nodirovich", d(1977, 7, 21), "UZ", "Margilan, Uzbekistan",
            russian="Абдулхакимов Зафар Нодирович"),
    Someone("Xolmurodov", "Elyor", "Bahromovich", d(1985, 3, 14), "UZ", "Andijan, Uzbekistan",
            russian="Холмуродов Элёр Бахромович",
            variants=(("Kholmurodov Elyor", TL), ("Holmurodov Elyor", TL))),
    Someone("Saidazimov", "Muzaffar", "Erkinovich", 1982, "UZ", "Fergana, Uzbekistan"),
    Someone("Jo'raqulov", "Nodirbek", "Ulug'bekovich", d(1983, 12, 2), "UZ", "Namangan, Uzbekistan",
            russian="Джуракулов Нодирбек Улугбекович", variants=(("Djurakulov Nodirbek", TL),)),
    Someone("Nurillozoda", "Behruz", "Qahhorovich", d(1987, 5, 5), "TJ", "Panjakent, Tajikistan",
            native="Нуриллозода Беҳруз Қаҳҳорович", russian="Нуриллозода Бехруз Каххорович",
            languages=TJ_LANGUAGES),
)  # fmt: skip
RELEASED = 6  # GROUP[6] is the one the court spares

# The single cases of the Almaty Refugee Rights Centre.
REFUSED = Someone(
    "G'afurzoda", "Rustam", "Nurulloevich", 1971, "TJ", "Kulob, Tajikistan",
    native="Ғафурзода Рустам Нуруллоевич", russian="Гафурзода Рустам Нуруллоевич",
    variants=(("Gafurzoda Rustam", TL),), languages=("tg", "ru", "fa"),
)  # fmt: skip
PENDING = Someone(
    "Shukurillaev", "Anvarbek", "Zokirovich", d(1990, 8, 22), "UZ", "Andijan, Uzbekistan",
    russian="Шукуриллаев Анварбек Зокирович",
    variants=(("Shukurillayev Anvarbek", TL), ("Shukurilaev Anvarbek", MIS)),
)  # fmt: skip
WITHDRAWN = Someone(
    "Ortiqboev", "Ilyos", "Rustamovich", 1976, "UZ", "Namangan, Uzbekistan",
    variants=(("Artykbaev Ilyas", TL),),
)  # fmt: skip
RESTRICTED = Someone(
    "Sharifzoda", "Mehrangez", "Bahromovna", d(1992, 3, 9), "TJ", "Dushanbe, Tajikistan",
    native="Шарифзода Меҳрангез Баҳромовна", russian="Шарифзода Мехрангез Бахромовна",
    sex=Sex.FEMALE, languages=("tg", "ru"),
)  # fmt: skip

# Bishkek Legal Aid's clients: a man and his wife.
BIS_HUSBAND = Someone(
    "Qambaraliev", "Hurshid", "Ergashevich", d(1980, 10, 2), "UZ", "Andijan, Uzbekistan",
    russian="Камбаралиев Хуршид Эргашевич", variants=(("Kambaraliev Khurshid", TL),),
)  # fmt: skip
BIS_WIFE = Someone(
    "Qambaralieva", "Zulfiya", "Tursunovna", 1984, "UZ", "Osh, Kyrgyzstan",
    russian="Камбаралиева Зульфия Турсуновна", sex=Sex.FEMALE, languages=("uz", "ky", "ru"),
)  # fmt: skip
