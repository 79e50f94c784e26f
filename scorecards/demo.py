"""Demo data: a believable organisation for `make run`, and large synthetic sets for benchmarks.

Every value is drawn from one `random.Random(seed)`, so a seed and an end date give the same rows
on every empty database. Nothing is dated after the present moment: on the real today, what has
not happened yet (a later opening, response, survey answer) is left out or left pending.
"""

import datetime as dt
import math
import random
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from feedback.choices import DisputeOutcome, ReviewAction, ReviewReason, ReviewStatus
from feedback.models import QARating, QAReview, QAReviewEvent, SurveyInvitation, SurveyResponse
from scorecards.choices import ChangeKind, MetricCode, VersionStatus
from scorecards.models import (
    Alert,
    ChangeEvent,
    Goal,
    Metric,
    QACriterion,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
    ScoreFillState,
)
from scorecards.scoring import CriterionRating, qa_review_total, quantize
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership

BATCH_SIZE = 5000
SCORECARD_SLUG = "customer-service"
VERSION_AGE_DAYS = 120
SLA_MINUTES = 30
TRAINING_DAYS_AGO = 30
MOVE_DAYS_AGO = 20
NEW_HIRE_DAYS_AGO = 14

# The fixed logins `demo_logins` prints; each has CRS_DEMO_PASSWORD.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("admin", Role.ADMIN),
    ("manager", Role.MANAGER),
    ("agent", Role.AGENT),
    ("onboarding", Role.ONBOARDING),
)

Report = Callable[[str], None]


# --- The scorecard's rules -------------------------------------------------------------------

INTRO = {
    "en": (
        "This scorecard sets out what we expect from everyone who deals with customers in "
        "customer service, and how we measure it every day. Each metric below has a target (full "
        "marks) and a floor (zero); your daily score is the weighted average of the metric "
        "scores, from 0 to 100. Green is 80 or more, amber 60 or more. Read the rules, ask your "
        "team lead about anything unclear, and acknowledge them on your first day."
    ),
    "ru": (
        "Эта карта показателей описывает, чего мы ждём от каждого, кто работает с клиентами в "
        "службе поддержки, и как мы измеряем это каждый день. У каждого показателя ниже есть цель "
        "(полный балл) и нижняя граница (ноль); ваш дневной результат — взвешенное среднее "
        "баллов по показателям, от 0 до 100. Зелёный — от 80, жёлтый — от 60. Прочитайте "
        "правила, спросите руководителя обо всём непонятном и подтвердите ознакомление в первый "
        "рабочий день."
    ),
    "lv": (
        "Šī rezultātu karte nosaka, ko mēs sagaidām no ikviena, kas strādā ar klientiem klientu "
        "apkalpošanā, un kā mēs to mērām katru dienu. Katram rādītājam zemāk ir mērķis (pilns "
        "punktu skaits) un apakšējā robeža (nulle); jūsu dienas rezultāts ir rādītāju punktu "
        "svērtais vidējais no 0 līdz 100. Zaļš — no 80, dzeltens — no 60. Izlasiet noteikumus, "
        "pajautājiet komandas vadītājam par visu neskaidro un apstipriniet iepazīšanos pirmajā "
        "darba dienā."
    ),
    "lt": (
        "Ši rezultatų kortelė nustato, ko tikimės iš kiekvieno, kuris dirba su klientais klientų "
        "aptarnavime, ir kaip tai matuojame kiekvieną dieną. Kiekvienas toliau nurodytas "
        "rodiklis turi tikslą (visi balai) ir apatinę ribą (nulis); jūsų dienos rezultatas yra "
        "svertinis rodiklių balų vidurkis nuo 0 iki 100. Žalia — nuo 80, geltona — nuo 60. "
        "Perskaitykite taisykles, paklauskite komandos vadovo apie viską, kas neaišku, ir "
        "patvirtinkite susipažinimą pirmą darbo dieną."
    ),
}

DRAFT_CHANGE_SUMMARY = {
    "en": "More weight on first contact resolution and customer satisfaction, less on volume.",
    "ru": "Больший вес решению с первого обращения и удовлетворённости клиентов, меньший — объёму.",
    "lv": "Lielāks svars atrisināšanai pirmajā saziņā un klientu apmierinātībai, mazāks — apjomam.",
    "lt": "Didesnis svoris sprendimui pirmo kreipimosi metu ir klientų pasitenkinimui, mažesnis — "
    "apimčiai.",
}


@dataclass(frozen=True)
class MetricSpec:
    code: str
    weight: int
    draft_weight: int
    target: int
    floor: int
    min_sample: int
    # language -> (label, what, why, how)
    text: dict[str, tuple[str, str, str, str]]


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        MetricCode.RESPONSE_SLA, 12, 12, 90, 50, 3,
        {
            "en": (
                "Response within SLA",
                "The share of new interactions that get a first response within 30 minutes of "
                "being opened. An interaction counts once its 30 minutes have passed or it has "
                "been answered.",
                "Customers judge us first by how quickly someone answers. A fast first reply "
                "calms a worried customer and stops the same question arriving again through "
                "another channel.",
                "Check the queue at the start of every hour and after each call. Send a short, "
                "personal first reply even if the full answer needs more time, and say when the "
                "customer will hear back.",
            ),
            "ru": (
                "Ответ в рамках SLA",
                "Доля новых обращений, на которые дан первый ответ в течение 30 минут после "
                "открытия. Обращение учитывается, когда 30 минут истекли или на него уже "
                "ответили.",
                "Клиенты в первую очередь судят о нас по тому, как быстро им ответили. Быстрый "
                "первый ответ успокаивает клиента и не даёт тому же вопросу прийти снова по "
                "другому каналу.",
                "Проверяйте очередь в начале каждого часа и после каждого звонка. Отправляйте "
                "короткий личный первый ответ, даже если полное решение требует времени, и "
                "сообщайте, когда клиент получит ответ.",
            ),
            "lv": (
                "Atbilde SLA laikā",
                "Jauno saziņu daļa, uz kurām pirmā atbilde sniegta 30 minūšu laikā pēc "
                "atvēršanas. Saziņa tiek ieskaitīta, kad 30 minūtes ir pagājušas vai uz to jau "
                "ir atbildēts.",
                "Klienti mūs vispirms vērtē pēc tā, cik ātri kāds atbild. Ātra pirmā atbilde "
                "nomierina klientu un novērš to, ka tas pats jautājums atnāk vēlreiz pa citu "
                "kanālu.",
                "Pārbaudiet rindu katras stundas sākumā un pēc katra zvana. Nosūtiet īsu, "
                "personisku pirmo atbildi arī tad, ja pilnai atbildei vajag vairāk laika, un "
                "pasakiet, kad klients saņems ziņu.",
            ),
            "lt": (
                "Atsakymas per SLA laiką",
                "Naujų kreipinių dalis, į kuriuos pirmą kartą atsakyta per 30 minučių nuo jų "
                "atidarymo. Kreipinys įskaitomas, kai praėjo 30 minučių arba į jį jau atsakyta.",
                "Klientai mus pirmiausia vertina pagal tai, kaip greitai kas nors atsako. Greitas "
                "pirmasis atsakymas nuramina klientą ir neleidžia tam pačiam klausimui vėl "
                "atkeliauti kitu kanalu.",
                "Tikrinkite eilę kiekvienos valandos pradžioje ir po kiekvieno skambučio. "
                "Išsiųskite trumpą asmeninį pirmąjį atsakymą, net jei visam atsakymui reikia "
                "daugiau laiko, ir pasakykite, kada klientas gaus žinią.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.FIRST_RESPONSE_MINUTES, 8, 8, 5, 60, 3,
        {
            "en": (
                "First response time",
                "The average number of minutes from opening an interaction to the first "
                "response, over the interactions answered that day. Lower is better.",
                "The SLA tells us whether we were fast enough; the average shows how fast we "
                "really are and catches a slow drift before it breaks the SLA.",
                "Answer phone and chat straight away. Work through e-mail and social messages "
                "oldest first, and use the reply templates for the opening line, then make it "
                "personal.",
            ),
            "ru": (
                "Время первого ответа",
                "Среднее число минут от открытия обращения до первого ответа по обращениям, на "
                "которые ответили в этот день. Чем меньше, тем лучше.",
                "SLA показывает, достаточно ли мы быстры; среднее показывает, насколько быстры "
                "на самом деле, и замечает постепенное замедление раньше, чем будет нарушен SLA.",
                "Отвечайте на звонки и чаты сразу. Письма и сообщения в соцсетях разбирайте "
                "начиная с самых старых; используйте шаблоны для первой фразы, затем добавляйте "
                "личное.",
            ),
            "lv": (
                "Pirmās atbildes laiks",
                "Vidējais minūšu skaits no saziņas atvēršanas līdz pirmajai atbildei, rēķinot "
                "saziņas, uz kurām tajā dienā atbildēts. Jo mazāk, jo labāk.",
                "SLA parāda, vai bijām pietiekami ātri; vidējais parāda, cik ātri esam patiesībā, "
                "un pamana lēnu pasliktināšanos, pirms tiek pārkāpts SLA.",
                "Uz zvaniem un tērzēšanu atbildiet uzreiz. E-pastus un ziņas sociālajos tīklos "
                "apstrādājiet, sākot ar vecākajiem; ievadam izmantojiet veidnes, pēc tam "
                "pielāgojiet.",
            ),
            "lt": (
                "Pirmojo atsakymo laikas",
                "Vidutinis minučių skaičius nuo kreipinio atidarymo iki pirmojo atsakymo, "
                "skaičiuojant kreipinius, į kuriuos tą dieną atsakyta. Kuo mažiau, tuo geriau.",
                "SLA parodo, ar buvome pakankamai greiti; vidurkis parodo, kokie greiti esame iš "
                "tikrųjų, ir pastebi lėtėjimą anksčiau, nei pažeidžiamas SLA.",
                "Į skambučius ir pokalbius atsakykite iš karto. El. laiškus ir žinutes "
                "socialiniuose tinkluose tvarkykite nuo seniausių; pradžiai naudokite šablonus, "
                "tada pritaikykite.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.FCR, 14, 18, 75, 40, 3,
        {
            "en": (
                "First contact resolution",
                "The share of interactions resolved that day that were solved in the first "
                "contact, with no call-back, transfer or second e-mail needed.",
                "Every extra contact costs the customer time and costs us money. Solving it the "
                "first time is what customers remember.",
                "Ask one more question before you answer, check the customer's history, and "
                "confirm at the end that the problem is really solved. If you need a colleague, "
                "bring them in while the customer is still with you.",
            ),
            "ru": (
                "Решение с первого обращения",
                "Доля обращений, решённых в этот день, которые были решены при первом контакте — "
                "без перезвона, перевода или второго письма.",
                "Каждый лишний контакт стоит клиенту времени, а нам денег. Клиенты запоминают, "
                "когда проблему решили с первого раза.",
                "Задайте ещё один уточняющий вопрос, прежде чем отвечать, посмотрите историю "
                "клиента и в конце убедитесь, что проблема действительно решена. Если нужен "
                "коллега, подключите его, пока клиент ещё на связи.",
            ),
            "lv": (
                "Atrisināts pirmajā saziņā",
                "Tajā dienā atrisināto saziņu daļa, kas atrisinātas jau pirmajā kontaktā — bez "
                "atzvanīšanas, pāradresācijas vai otra e-pasta.",
                "Katrs lieks kontakts klientam maksā laiku, bet mums — naudu. Klienti atceras, "
                "kad problēma atrisināta ar pirmo reizi.",
                "Pirms atbildat, uzdodiet vēl vienu precizējošu jautājumu, pārbaudiet klienta "
                "vēsturi un beigās pārliecinieties, ka problēma tiešām atrisināta. Ja vajag "
                "kolēģi, iesaistiet viņu, kamēr klients vēl ir sazinā.",
            ),
            "lt": (
                "Išspręsta pirmo kreipimosi metu",
                "Tą dieną išspręstų kreipinių dalis, kurie išspręsti pirmo kontakto metu — be "
                "perskambinimo, peradresavimo ar antro laiško.",
                "Kiekvienas papildomas kontaktas klientui kainuoja laiką, o mums — pinigus. "
                "Klientai prisimena, kai problema išsprendžiama iš pirmo karto.",
                "Prieš atsakydami užduokite dar vieną patikslinantį klausimą, peržiūrėkite "
                "kliento istoriją ir pabaigoje įsitikinkite, kad problema tikrai išspręsta. Jei "
                "reikia kolegos, įtraukite jį, kol klientas dar ryšyje.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.RESOLUTION_HOURS, 8, 8, 4, 48, 3,
        {
            "en": (
                "Resolution time",
                "The average number of hours from opening to resolving, over the interactions "
                "resolved that day. Lower is better.",
                "An open case is a customer still waiting. Long resolutions turn small problems "
                "into complaints.",
                "Set the next step and its date before you leave a case, chase other departments "
                "early, and close the case as soon as the customer confirms.",
            ),
            "ru": (
                "Время решения",
                "Среднее число часов от открытия до решения по обращениям, решённым в этот день. "
                "Чем меньше, тем лучше.",
                "Открытое обращение — это клиент, который всё ещё ждёт. Долгое решение "
                "превращает мелкие проблемы в жалобы.",
                "Прежде чем отложить обращение, назначьте следующий шаг и его срок, заранее "
                "напоминайте другим отделам и закрывайте обращение, как только клиент подтвердит "
                "решение.",
            ),
            "lv": (
                "Atrisināšanas laiks",
                "Vidējais stundu skaits no atvēršanas līdz atrisināšanai, rēķinot tajā dienā "
                "atrisinātās saziņas. Jo mazāk, jo labāk.",
                "Atvērta saziņa nozīmē klientu, kas joprojām gaida. Ilga atrisināšana pārvērš "
                "sīkas problēmas sūdzībās.",
                "Pirms atstājat lietu, nosakiet nākamo soli un tā termiņu, laikus atgādiniet "
                "citām nodaļām un slēdziet lietu, tiklīdz klients apstiprina risinājumu.",
            ),
            "lt": (
                "Sprendimo laikas",
                "Vidutinis valandų skaičius nuo atidarymo iki išsprendimo, skaičiuojant tą dieną "
                "išspręstus kreipinius. Kuo mažiau, tuo geriau.",
                "Atviras kreipinys reiškia klientą, kuris vis dar laukia. Ilgas sprendimas "
                "smulkias problemas paverčia skundais.",
                "Prieš palikdami kreipinį, numatykite kitą žingsnį ir jo terminą, laiku "
                "priminkite kitiems skyriams ir uždarykite kreipinį, kai tik klientas patvirtina "
                "sprendimą.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.FOLLOW_UP, 10, 10, 95, 60, 3,
        {
            "en": (
                "Follow-ups on time",
                "The share of follow-ups due that day that were done by the end of the day.",
                "A promise to call back is a promise. Missing it undoes all the good work of the "
                "first contact.",
                "Set the follow-up date when you make the promise, check your follow-ups every "
                "morning, and if you cannot keep a date, tell the customer before it passes.",
            ),
            "ru": (
                "Повторные контакты вовремя",
                "Доля повторных контактов со сроком в этот день, выполненных до конца дня.",
                "Обещание перезвонить — это обещание. Если его не сдержать, пропадает вся "
                "хорошая работа первого контакта.",
                "Назначайте дату повторного контакта в момент обещания, проверяйте свои "
                "повторные контакты каждое утро, а если не успеваете — сообщите клиенту до "
                "наступления срока.",
            ),
            "lv": (
                "Atkārtoti kontakti laikā",
                "Tajā dienā paredzēto atkārtoto kontaktu daļa, kas izpildīti līdz dienas beigām.",
                "Solījums atzvanīt ir solījums. Ja to neizpilda, zūd viss pirmā kontakta labais "
                "darbs.",
                "Iestatiet atkārtotā kontakta datumu brīdī, kad to apsolāt, katru rītu "
                "pārbaudiet savus atkārtotos kontaktus un, ja termiņu neizdodas ievērot, "
                "pasakiet to klientam, pirms tas pienāk.",
            ),
            "lt": (
                "Laiku atlikti pakartotiniai kontaktai",
                "Tą dieną numatytų pakartotinių kontaktų dalis, atliktų iki dienos pabaigos.",
                "Pažadas perskambinti yra pažadas. Jo neištesėjus, prarandamas visas gerai "
                "atliktas pirmo kontakto darbas.",
                "Pakartotinio kontakto datą nustatykite tą akimirką, kai jį pažadate, kiekvieną "
                "rytą peržiūrėkite savo pakartotinius kontaktus, o jei nespėjate — praneškite "
                "klientui prieš terminą.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.ESCALATION, 6, 6, 5, 30, 3,
        {
            "en": (
                "Escalation rate",
                "The share of interactions resolved that day that were escalated to a specialist "
                "or a manager. Lower is better.",
                "An escalation is right when it is needed, but each one adds waiting time and "
                "usually a second person. A low rate shows confident, well-trained agents.",
                "Use the knowledge base and your team before you escalate. When an escalation is "
                "needed, make it early and hand over the full story, so the customer never has "
                "to repeat it.",
            ),
            "ru": (
                "Доля эскалаций",
                "Доля обращений, решённых в этот день, которые были переданы специалисту или "
                "руководителю. Чем меньше, тем лучше.",
                "Эскалация уместна, когда она нужна, но каждая добавляет ожидание и обычно "
                "второго человека. Низкая доля показывает уверенных и хорошо обученных "
                "сотрудников.",
                "Прежде чем эскалировать, воспользуйтесь базой знаний и помощью команды. Если "
                "эскалация нужна, делайте её рано и передавайте всю историю, чтобы клиенту не "
                "пришлось повторять.",
            ),
            "lv": (
                "Eskalāciju īpatsvars",
                "Tajā dienā atrisināto saziņu daļa, kas nodotas speciālistam vai vadītājam. Jo "
                "mazāk, jo labāk.",
                "Eskalācija ir pareiza, kad tā vajadzīga, bet katra pagarina gaidīšanu un parasti "
                "iesaista otru cilvēku. Zems īpatsvars rāda pārliecinātus, labi apmācītus "
                "darbiniekus.",
                "Pirms eskalējat, izmantojiet zināšanu bāzi un komandas palīdzību. Ja eskalācija "
                "vajadzīga, dariet to laikus un nododiet visu vēsturi, lai klientam nebūtu "
                "jāatkārto.",
            ),
            "lt": (
                "Eskalavimų dalis",
                "Tą dieną išspręstų kreipinių dalis, kurie buvo perduoti specialistui ar "
                "vadovui. Kuo mažiau, tuo geriau.",
                "Eskalavimas tinkamas, kai jo reikia, tačiau kiekvienas prailgina laukimą ir "
                "dažniausiai įtraukia antrą žmogų. Maža dalis rodo savimi pasitikinčius, gerai "
                "apmokytus darbuotojus.",
                "Prieš eskaluodami pasinaudokite žinių baze ir komandos pagalba. Jei eskalavimas "
                "būtinas, atlikite jį anksti ir perduokite visą istoriją, kad klientui nereikėtų "
                "kartoti.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.CSAT, 16, 20, 90, 60, 3,
        {
            "en": (
                "Customer satisfaction",
                "The share of survey answers rating us 4 or 5 out of 5, over the answers "
                "submitted that day.",
                "It is the customer's own verdict on the interaction, in their own words.",
                "Listen fully, use the customer's name and language, explain what happens next, "
                "and read your survey comments every week.",
            ),
            "ru": (
                "Удовлетворённость клиентов",
                "Доля ответов на опрос с оценкой 4 или 5 из 5 среди ответов, полученных в этот "
                "день.",
                "Это собственная оценка клиента — его словами.",
                "Выслушивайте до конца, обращайтесь к клиенту по имени и на его языке, "
                "объясняйте, что будет дальше, и каждую неделю читайте комментарии из опросов.",
            ),
            "lv": (
                "Klientu apmierinātība",
                "To aptaujas atbilžu daļa, kurās vērtējums ir 4 vai 5 no 5, rēķinot tajā dienā "
                "iesniegtās atbildes.",
                "Tas ir paša klienta vērtējums par saziņu — viņa vārdiem.",
                "Uzklausiet līdz galam, uzrunājiet klientu vārdā un viņa valodā, paskaidrojiet, "
                "kas notiks tālāk, un katru nedēļu izlasiet aptauju komentārus.",
            ),
            "lt": (
                "Klientų pasitenkinimas",
                "Apklausos atsakymų, kuriuose įvertinimas yra 4 arba 5 iš 5, dalis tarp tą dieną "
                "pateiktų atsakymų.",
                "Tai paties kliento vertinimas — jo žodžiais.",
                "Išklausykite iki galo, kreipkitės į klientą vardu ir jo kalba, paaiškinkite, kas "
                "bus toliau, ir kas savaitę perskaitykite apklausų komentarus.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.NPS, 8, 8, 50, -20, 5,
        {
            "en": (
                "Net promoter score",
                "The share of customers who would recommend us (9–10) minus the share who would "
                "not (0–6), over the survey answers with a score that day. It runs from −100 to "
                "100.",
                "It shows loyalty beyond one interaction: promoters bring new customers, "
                "detractors take existing ones away.",
                "Treat every contact as a chance to earn a recommendation: be honest about what "
                "you can do, and go one step further when you can.",
            ),
            "ru": (
                "Индекс лояльности (NPS)",
                "Доля клиентов, которые порекомендовали бы нас (9–10), минус доля тех, кто не "
                "порекомендовал бы (0–6), среди ответов с оценкой в этот день. От −100 до 100.",
                "Он показывает лояльность шире одного обращения: сторонники приводят новых "
                "клиентов, критики уводят существующих.",
                "Используйте каждый контакт, чтобы заслужить рекомендацию: честно говорите, что "
                "можете сделать, и делайте шаг сверх ожидаемого, когда это возможно.",
            ),
            "lv": (
                "Neto ieteikšanas indekss (NPS)",
                "To klientu daļa, kas mūs ieteiktu (9–10), mīnus to daļa, kas neieteiktu (0–6), "
                "rēķinot tajā dienā iesniegtās atbildes ar vērtējumu. No −100 līdz 100.",
                "Tas rāda lojalitāti plašāk par vienu saziņu: atbalstītāji atved jaunus klientus, "
                "kritiķi aizved esošos.",
                "Izmantojiet katru kontaktu, lai nopelnītu ieteikumu: godīgi sakiet, ko varat "
                "izdarīt, un, kad iespējams, izdariet nedaudz vairāk.",
            ),
            "lt": (
                "Rekomendavimo indeksas (NPS)",
                "Klientų, kurie mus rekomenduotų (9–10), dalis minus tų, kurie nerekomenduotų "
                "(0–6), dalis tarp tą dieną pateiktų atsakymų su įvertinimu. Nuo −100 iki 100.",
                "Jis parodo lojalumą plačiau nei vienas kreipinys: rėmėjai atveda naujų klientų, "
                "kritikai nusiveda esamus.",
                "Kiekvieną kontaktą išnaudokite rekomendacijai užsitarnauti: sąžiningai sakykite, "
                "ką galite padaryti, ir, kai įmanoma, padarykite šiek tiek daugiau.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.QA, 12, 12, 85, 50, 1,
        {
            "en": (
                "Quality review",
                "The average total of the QA reviews of your interactions published that day, "
                "from 0 to 100, against the seven criteria below.",
                "The numbers show what happened; the review shows how. It is where coaching "
                "starts.",
                "Know the seven criteria, listen to your reviewed calls, and ask your team lead "
                "about any rating you do not understand — you may dispute a review you think is "
                "wrong.",
            ),
            "ru": (
                "Оценка качества",
                "Средний итог проверок качества ваших обращений, опубликованных в этот день, от "
                "0 до 100 по семи критериям ниже.",
                "Цифры показывают, что произошло; проверка показывает, как. С неё начинается "
                "наставничество.",
                "Знайте семь критериев, прослушивайте свои проверенные разговоры и спрашивайте "
                "руководителя о любой непонятной оценке — проверку, с которой вы не согласны, "
                "можно оспорить.",
            ),
            "lv": (
                "Kvalitātes novērtējums",
                "Jūsu saziņu kvalitātes novērtējumu vidējais kopvērtējums no 0 līdz 100 pēc "
                "septiņiem tālāk minētajiem kritērijiem, rēķinot tajā dienā publicētos "
                "novērtējumus.",
                "Skaitļi parāda, kas notika; novērtējums parāda, kā. No tā sākas apmācība.",
                "Ziniet septiņus kritērijus, noklausieties savas novērtētās sarunas un "
                "jautājiet komandas vadītājam par jebkuru nesaprotamu vērtējumu — novērtējumu, "
                "kam nepiekrītat, varat apstrīdēt.",
            ),
            "lt": (
                "Kokybės vertinimas",
                "Vidutinis jūsų kreipinių kokybės vertinimų, paskelbtų tą dieną, balas nuo 0 iki "
                "100 pagal septynis toliau nurodytus kriterijus.",
                "Skaičiai parodo, kas įvyko; vertinimas parodo, kaip. Nuo jo prasideda ugdymas.",
                "Žinokite septynis kriterijus, perklausykite savo įvertintus pokalbius ir "
                "klauskite komandos vadovo apie bet kurį neaiškų įvertinimą — vertinimą, su "
                "kuriuo nesutinkate, galite užginčyti.",
            ),
        },
    ),
    MetricSpec(
        MetricCode.VOLUME, 6, 2, 25, 5, 1,
        {
            "en": (
                "Interactions resolved",
                "The number of interactions you resolved that day.",
                "Customers need a team that keeps up with demand; volume shows a fair share of "
                "the work, and the quality metrics keep it honest.",
                "Keep your queue moving: resolve simple cases at once, and never trade quality "
                "for speed — the other metrics will show it.",
            ),
            "ru": (
                "Решённые обращения",
                "Число обращений, которые вы решили в этот день.",
                "Клиентам нужна команда, которая справляется с потоком; объём показывает "
                "справедливую долю работы, а показатели качества уравновешивают его.",
                "Держите очередь в движении: простые вопросы решайте сразу и никогда не "
                "жертвуйте качеством ради скорости — это отразится на других показателях.",
            ),
            "lv": (
                "Atrisinātās saziņas",
                "Saziņu skaits, ko jūs tajā dienā atrisinājāt.",
                "Klientiem vajag komandu, kas tiek galā ar pieprasījumu; apjoms parāda taisnīgu "
                "darba daļu, un to līdzsvaro kvalitātes rādītāji.",
                "Uzturiet rindu kustībā: vienkāršus jautājumus atrisiniet uzreiz un nekad "
                "neupurējiet kvalitāti ātruma dēļ — to parādīs citi rādītāji.",
            ),
            "lt": (
                "Išspręsti kreipiniai",
                "Kreipinių, kuriuos išsprendėte tą dieną, skaičius.",
                "Klientams reikia komandos, kuri spėja su srautu; apimtis parodo teisingą darbo "
                "dalį, o kokybės rodikliai ją atsveria.",
                "Palaikykite eilės judėjimą: paprastus klausimus spręskite iš karto ir niekada "
                "neaukokite kokybės dėl greičio — tai parodys kiti rodikliai.",
            ),
        },
    ),
)  # fmt: skip


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: int
    is_critical: bool
    # language -> (label, description, examples)
    text: dict[str, tuple[str, str, str]]


CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "greeting", 1, False,
        {
            "en": (
                "Greeting and first impression",
                "Greets the customer promptly and warmly, introduces themself and the company, "
                "and sets a helpful tone.",
                "Good: “Good morning, customer service, this is Anna. How can I help you "
                "today?” Poor: answering with a bare “Yes?” or leaving the customer waiting in "
                "silence.",
            ),
            "ru": (
                "Приветствие и первое впечатление",
                "Быстро и доброжелательно приветствует клиента, представляется сам и "
                "представляет компанию, задаёт тон готовности помочь.",
                "Хорошо: «Доброе утро, служба поддержки, меня зовут Анна. Чем могу помочь?» "
                "Плохо: ответить одним «Да?» или заставить клиента ждать в тишине.",
            ),
            "lv": (
                "Sveiciens un pirmais iespaids",
                "Ātri un laipni sveicina klientu, nosauc sevi un uzņēmumu un rada izpalīdzīgu "
                "toni.",
                "Labi: “Labrīt, klientu atbalsts, runā Anna. Kā varu palīdzēt?” Slikti: atbildēt "
                "tikai ar “Jā?” vai likt klientam gaidīt klusumā.",
            ),
            "lt": (
                "Pasisveikinimas ir pirmasis įspūdis",
                "Greitai ir maloniai pasisveikina su klientu, prisistato pats ir pristato įmonę, "
                "sukuria paslaugų toną.",
                "Gerai: „Labas rytas, klientų aptarnavimas, kalba Ana. Kuo galiu padėti?“ "
                "Blogai: atsiliepti tik „Taip?“ arba palikti klientą laukti tyloje.",
            ),
        },
    ),
    CriterionSpec(
        "listening", 1, False,
        {
            "en": (
                "Listening",
                "Lets the customer finish, asks clarifying questions and confirms the problem "
                "before solving it.",
                "Good: “So the invoice shows 40 licences but you ordered 20 — is that right?” "
                "Poor: interrupting, or answering a different question.",
            ),
            "ru": (
                "Умение слушать",
                "Даёт клиенту договорить, задаёт уточняющие вопросы и подтверждает суть "
                "проблемы, прежде чем её решать.",
                "Хорошо: «Значит, в счёте 40 лицензий, а вы заказывали 20 — верно?» Плохо: "
                "перебивать или отвечать на другой вопрос.",
            ),
            "lv": (
                "Uzklausīšana",
                "Ļauj klientam izrunāties, uzdod precizējošus jautājumus un pirms risināšanas "
                "apstiprina problēmu.",
                "Labi: “Tātad rēķinā ir 40 licences, bet jūs pasūtījāt 20 — vai pareizi?” "
                "Slikti: pārtraukt vai atbildēt uz citu jautājumu.",
            ),
            "lt": (
                "Išklausymas",
                "Leidžia klientui pasisakyti iki galo, užduoda patikslinančių klausimų ir prieš "
                "spręsdamas patvirtina problemą.",
                "Gerai: „Vadinasi, sąskaitoje 40 licencijų, o užsakėte 20 — ar teisingai?“ "
                "Blogai: pertraukti arba atsakyti į kitą klausimą.",
            ),
        },
    ),
    CriterionSpec(
        "clear-communication", 1, False,
        {
            "en": (
                "Clear communication",
                "Explains in plain words, in the customer's language, without jargon; written "
                "replies are structured and free of mistakes.",
                "Good: short steps numbered 1, 2, 3. Poor: internal codes, long paragraphs, or a "
                "reply in the wrong language.",
            ),
            "ru": (
                "Понятное общение",
                "Объясняет простыми словами, на языке клиента, без жаргона; письменные ответы "
                "структурированы и без ошибок.",
                "Хорошо: короткие шаги с номерами 1, 2, 3. Плохо: внутренние коды, длинные "
                "абзацы или ответ не на том языке.",
            ),
            "lv": (
                "Skaidra saziņa",
                "Skaidro vienkāršiem vārdiem, klienta valodā, bez žargona; rakstiskās atbildes "
                "ir strukturētas un bez kļūdām.",
                "Labi: īsi soļi ar numuriem 1, 2, 3. Slikti: iekšējie kodi, gari teksta bloki vai "
                "atbilde nepareizā valodā.",
            ),
            "lt": (
                "Aiškus bendravimas",
                "Aiškina paprastais žodžiais, kliento kalba, be žargono; rašytiniai atsakymai "
                "struktūruoti ir be klaidų.",
                "Gerai: trumpi sunumeruoti žingsniai 1, 2, 3. Blogai: vidiniai kodai, ilgos "
                "pastraipos arba atsakymas ne ta kalba.",
            ),
        },
    ),
    CriterionSpec(
        "problem-solving", 2, False,
        {
            "en": (
                "Problem solving",
                "Finds the root cause, uses the right tools and the knowledge base, and offers a "
                "real solution or a clear next step.",
                "Good: checks the order history and finds the duplicate charge. Poor: “Please "
                "try again later” without looking into it.",
            ),
            "ru": (
                "Решение проблемы",
                "Находит первопричину, использует нужные инструменты и базу знаний и предлагает "
                "настоящее решение или понятный следующий шаг.",
                "Хорошо: проверяет историю заказов и находит двойное списание. Плохо: "
                "«Попробуйте позже» без всякой проверки.",
            ),
            "lv": (
                "Problēmu risināšana",
                "Atrod cēloni, izmanto pareizos rīkus un zināšanu bāzi un piedāvā īstu "
                "risinājumu vai skaidru nākamo soli.",
                "Labi: pārbauda pasūtījumu vēsturi un atrod dubultu maksājumu. Slikti: “Lūdzu, "
                "mēģiniet vēlāk” bez jebkādas pārbaudes.",
            ),
            "lt": (
                "Problemų sprendimas",
                "Suranda pagrindinę priežastį, naudoja tinkamus įrankius ir žinių bazę ir "
                "pasiūlo tikrą sprendimą arba aiškų kitą žingsnį.",
                "Gerai: patikrina užsakymų istoriją ir randa dvigubą nuskaitymą. Blogai: "
                "„Pabandykite vėliau“ be jokio patikrinimo.",
            ),
        },
    ),
    CriterionSpec(
        "correct-escalation", 2, True,
        {
            "en": (
                "Correct escalation",
                "Escalates when, and only when, the rules require it, to the right team, with "
                "the full case history. Critical: a missed escalation in a safety, legal or "
                "data-protection case makes the whole review 0.",
                "Good: a suspected data leak goes to the security contact at once, with every "
                "detail. Poor: a legal threat handled alone, or an escalation with no notes.",
            ),
            "ru": (
                "Правильная эскалация",
                "Эскалирует тогда и только тогда, когда этого требуют правила, в нужную команду и "
                "с полной историей обращения. Критический критерий: пропущенная эскалация в "
                "вопросах безопасности, права или защиты данных обнуляет всю проверку.",
                "Хорошо: о подозрении на утечку данных сразу сообщают ответственному за "
                "безопасность со всеми подробностями. Плохо: угрозу судом решают в одиночку или "
                "эскалируют без заметок.",
            ),
            "lv": (
                "Pareiza eskalācija",
                "Eskalē tad un tikai tad, kad to prasa noteikumi, pareizajai komandai un ar pilnu "
                "lietas vēsturi. Kritisks kritērijs: neveikta eskalācija drošības, juridiskā vai "
                "datu aizsardzības jautājumā padara visu novērtējumu par 0.",
                "Labi: par iespējamu datu noplūdi nekavējoties ziņo drošības atbildīgajam ar "
                "visām detaļām. Slikti: tiesas draudus risina viens pats vai eskalē bez "
                "piezīmēm.",
            ),
            "lt": (
                "Tinkamas eskalavimas",
                "Eskaluoja tada ir tik tada, kai to reikalauja taisyklės, tinkamai komandai ir su "
                "visa kreipinio istorija. Kritinis kriterijus: neatliktas eskalavimas saugumo, "
                "teisės ar duomenų apsaugos klausimu visą vertinimą paverčia 0.",
                "Gerai: apie įtariamą duomenų nutekėjimą iškart pranešama atsakingam už saugumą "
                "su visomis detalėmis. Blogai: grasinimas teismu sprendžiamas vienam arba "
                "eskaluojama be pastabų.",
            ),
        },
    ),
    CriterionSpec(
        "follow-up", 1, False,
        {
            "en": (
                "Follow-up",
                "Promises a follow-up when one is needed, records its due date, and keeps it.",
                "Good: “I will call you on Thursday before noon with the courier's answer” — and "
                "does. Poor: a promise with no date, or no call at all.",
            ),
            "ru": (
                "Повторный контакт",
                "Обещает повторный контакт, когда он нужен, записывает его срок и выполняет "
                "обещание.",
                "Хорошо: «Я позвоню вам в четверг до полудня с ответом курьерской службы» — и "
                "звонит. Плохо: обещание без даты или звонка так и не было.",
            ),
            "lv": (
                "Atkārtots kontakts",
                "Apsola atkārtotu kontaktu, kad tas vajadzīgs, ieraksta tā termiņu un solījumu "
                "izpilda.",
                "Labi: “Es jums piezvanīšu ceturtdien līdz pusdienlaikam ar kurjera atbildi” — "
                "un piezvana. Slikti: solījums bez datuma vai zvans, kas tā arī nenotiek.",
            ),
            "lt": (
                "Pakartotinis kontaktas",
                "Pažada pakartotinį kontaktą, kai jo reikia, užrašo jo terminą ir pažadą "
                "ištesi.",
                "Gerai: „Paskambinsiu jums ketvirtadienį iki pietų su kurjerio atsakymu“ — ir "
                "paskambina. Blogai: pažadas be datos arba skambučio taip ir nėra.",
            ),
        },
    ),
    CriterionSpec(
        "courtesy-teamwork", 1, False,
        {
            "en": (
                "Courtesy and teamwork",
                "Stays polite and patient under pressure, thanks the customer, and works with "
                "colleagues instead of passing the problem on.",
                "Good: stays calm with an angry customer and brings in a colleague smoothly. "
                "Poor: blaming another department in front of the customer.",
            ),
            "ru": (
                "Вежливость и командная работа",
                "Остаётся вежливым и терпеливым под давлением, благодарит клиента и работает "
                "вместе с коллегами, а не перекладывает проблему на других.",
                "Хорошо: сохраняет спокойствие с рассерженным клиентом и плавно подключает "
                "коллегу. Плохо: винить другой отдел при клиенте.",
            ),
            "lv": (
                "Pieklājība un komandas darbs",
                "Saglabā pieklājību un pacietību spiediena apstākļos, pateicas klientam un "
                "sadarbojas ar kolēģiem, nevis pārsūta problēmu tālāk.",
                "Labi: paliek mierīgs ar dusmīgu klientu un raiti iesaista kolēģi. Slikti: "
                "vainot citu nodaļu klienta klātbūtnē.",
            ),
            "lt": (
                "Mandagumas ir komandinis darbas",
                "Išlieka mandagus ir kantrus esant spaudimui, padėkoja klientui ir dirba kartu su "
                "kolegomis, o ne perleidžia problemą kitiems.",
                "Gerai: išlieka ramus su piktu klientu ir sklandžiai įtraukia kolegą. Blogai: "
                "kaltinti kitą skyrių kliento akivaizdoje.",
            ),
        },
    ),
)  # fmt: skip

TRANSLATED_LANGUAGES = ("ru", "lv", "lt")


# --- People, customers and what they say ------------------------------------------------------

# (male first names, male surnames, female first names, female surnames) per naming tradition.
NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "lv": (
        ("Jānis", "Andris", "Mārtiņš", "Kristaps", "Edgars", "Raivis", "Artūrs", "Roberts"),
        ("Bērziņš", "Kalniņš", "Ozoliņš", "Liepiņš", "Krūmiņš", "Zariņš", "Vītols", "Balodis"),
        ("Ilze", "Līga", "Anna", "Kristīne", "Laura", "Dace", "Inese", "Elīna"),
        ("Bērziņa", "Kalniņa", "Ozoliņa", "Liepiņa", "Krūmiņa", "Zariņa", "Vītola", "Balode"),
    ),
    "lt": (
        ("Tomas", "Mantas", "Lukas", "Darius", "Andrius", "Paulius", "Justinas", "Marius"),
        ("Kazlauskas", "Petrauskas", "Jankauskas", "Žukauskas", "Butkus", "Paulauskas",
         "Vasiliauskas", "Urbonas"),
        ("Rūta", "Ieva", "Gintarė", "Eglė", "Aistė", "Monika", "Agnė", "Greta"),
        ("Kazlauskienė", "Petrauskaitė", "Jankauskienė", "Žukauskaitė", "Butkutė",
         "Paulauskienė", "Vasiliauskaitė", "Urbonaitė"),
    ),
    "ru": (
        ("Dmitry", "Alexander", "Sergey", "Maxim", "Igor", "Pavel", "Nikita", "Artem"),
        ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Orlov", "Belov"),
        ("Olga", "Elena", "Natalia", "Anastasia", "Tatiana", "Marina", "Julia", "Svetlana"),
        ("Ivanova", "Smirnova", "Kuznetsova", "Popova", "Volkova", "Sokolova", "Orlova",
         "Belova"),
    ),
    "ee": (
        ("Martin", "Andres", "Rasmus", "Kristjan", "Marko", "Siim", "Tanel", "Karl"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves"),
        ("Kadri", "Liis", "Triin", "Kristiina", "Maarja", "Kerli", "Piret", "Helen"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves"),
    ),
    "en": (
        ("James", "Daniel", "Thomas", "Oliver", "Michael", "David", "Peter", "Mark"),
        ("Ward", "Turner", "Hughes", "Collins", "Bennett", "Wright", "Fisher", "Parker"),
        ("Emma", "Sarah", "Kate", "Lucy", "Hannah", "Rachel", "Claire", "Sophie"),
        ("Ward", "Turner", "Hughes", "Collins", "Bennett", "Wright", "Fisher", "Parker"),
    ),
}  # fmt: skip

COMPANIES: dict[str, tuple[str, ...]] = {
    "lv": ("Daugava Foods", "Rīgas Koks", "Baltic Timber", "Jūrmala Hotels", "Latvijas Piens",
           "Vidzeme Agro", "Amber Logistics", "Kurzeme Print"),
    "lt": ("Nemunas Energy", "Vilniaus Baldai", "Kaunas Textile", "Neringa Travel",
           "Žalgiris Tools", "Trakai Dairy", "Lietuvos Stiklas", "Panevėžys Steel"),
    "ee": ("Tallinn Ferries", "Harju Software", "Narva Metal", "Tartu Books", "Saaremaa Mill",
           "Pärnu Spa", "Viru Retail", "Nordic Hemp"),
}  # fmt: skip

COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "good": ("Quick and friendly, thank you!", "Solved in one call — great service.",
                 "Very clear explanation, everything works now.",
                 "Patient and really helpful.", "Fast answer, exactly what I needed."),
        "fair": ("Fine, but it took a while to get an answer.",
                 "Sorted in the end, but I had to explain twice.",
                 "The answer helped, the waiting less so."),
        "poor": ("Nobody called me back as promised.",
                 "Took three days and I still had to chase you.",
                 "I was passed from one person to another.",
                 "The answer did not solve my problem."),
    },
    "ru": {
        "good": ("Быстро и вежливо, спасибо!", "Решили с первого звонка — отличный сервис.",
                 "Очень понятно объяснили, теперь всё работает.",
                 "Терпеливо и действительно помогли.", "Быстрый ответ, именно то, что нужно."),
        "fair": ("Нормально, но ответа пришлось ждать.",
                 "В итоге всё решили, но пришлось объяснять дважды.",
                 "Ответ помог, ожидание — не очень."),
        "poor": ("Мне так и не перезвонили, как обещали.",
                 "Заняло три дня, и мне всё равно пришлось напоминать.",
                 "Меня передавали от одного сотрудника к другому.",
                 "Ответ не решил мою проблему."),
    },
    "lv": {
        "good": ("Ātri un laipni, paldies!", "Atrisināja ar pirmo zvanu — lielisks serviss.",
                 "Ļoti skaidri paskaidroja, tagad viss strādā.",
                 "Pacietīgi un tiešām palīdzēja.", "Ātra atbilde, tieši tas, kas vajadzīgs."),
        "fair": ("Labi, bet atbilde bija jāgaida.",
                 "Beigās atrisināja, bet nācās skaidrot divreiz.",
                 "Atbilde palīdzēja, gaidīšana gan ne."),
        "poor": ("Neviens neatzvanīja, kā bija solīts.",
                 "Aizņēma trīs dienas, un man tik un tā bija jāatgādina.",
                 "Mani sūtīja no viena cilvēka pie otra.",
                 "Atbilde neatrisināja manu problēmu."),
    },
    "lt": {
        "good": ("Greitai ir maloniai, ačiū!", "Išsprendė iš pirmo skambučio — puikus "
                 "aptarnavimas.", "Labai aiškiai paaiškino, dabar viskas veikia.",
                 "Kantriai ir tikrai padėjo.", "Greitas atsakymas, būtent to ir reikėjo."),
        "fair": ("Gerai, bet atsakymo teko palaukti.",
                 "Galiausiai išsprendė, bet teko aiškinti du kartus.",
                 "Atsakymas padėjo, laukimas — nelabai."),
        "poor": ("Niekas nepaskambino, kaip buvo žadėta.",
                 "Užtruko tris dienas, ir vis tiek teko priminti.",
                 "Mane siuntinėjo nuo vieno žmogaus prie kito.",
                 "Atsakymas neišsprendė mano problemos."),
    },
}  # fmt: skip

# (metric, target, why per language): goals agents set for themselves.
# The targets of the goals people had before their current ones: a step easier.
EARLIER_GOAL_TARGETS = {
    MetricCode.FCR: 70,
    MetricCode.CSAT: 85,
    MetricCode.FIRST_RESPONSE_MINUTES: 20,
    MetricCode.FOLLOW_UP: 92,
    MetricCode.QA: 80,
    MetricCode.ESCALATION: 6,
}

GOALS: tuple[tuple[str, int, dict[str, str]], ...] = (
    (MetricCode.FCR, 80, {
        "en": "I want customers to hang up with the problem solved, not with a promise.",
        "ru": "Хочу, чтобы клиенты заканчивали разговор с решённой проблемой, а не с обещанием.",
        "lv": "Gribu, lai klienti beidz sarunu ar atrisinātu problēmu, nevis ar solījumu.",
        "lt": "Noriu, kad klientai baigtų pokalbį su išspręsta problema, o ne su pažadu.",
    }),
    (MetricCode.CSAT, 92, {
        "en": "Good feedback is what makes this job worth doing, and I want to be the one "
              "customers ask for.",
        "ru": "Хорошие отзывы — то, ради чего стоит делать эту работу, и я хочу, чтобы клиенты "
              "просили именно меня.",
        "lv": "Labas atsauksmes ir tas, kāpēc šis darbs ir tā vērts, un es gribu, lai klienti "
              "prasa tieši mani.",
        "lt": "Geri atsiliepimai yra tai, dėl ko verta dirbti šį darbą, ir noriu, kad klientai "
              "prašytų būtent manęs.",
    }),
    (MetricCode.FIRST_RESPONSE_MINUTES, 4, {
        "en": "I am aiming for a team lead role, and speed on the queue is what the team "
              "notices first.",
        "ru": "Я хочу стать руководителем группы, а скорость в очереди команда замечает первой.",
        "lv": "Es tiecos kļūt par komandas vadītāju, un ātrumu rindā komanda pamana pirmo.",
        "lt": "Siekiu tapti komandos vadovu, o greitį eilėje komanda pastebi pirmiausia.",
    }),
    (MetricCode.FOLLOW_UP, 98, {
        "en": "Last quarter my call-backs slipped in busy weeks; I want customers to be able to "
              "rely on what I promise.",
        "ru": "В прошлом квартале в загруженные недели перезвоны срывались; хочу, чтобы на мои "
              "обещания можно было положиться.",
        "lv": "Pagājušajā ceturksnī noslogotās nedēļās atzvanīšana izpalika; gribu, lai uz "
              "maniem solījumiem var paļauties.",
        "lt": "Praėjusį ketvirtį per įtemptas savaites perskambinimai nepavykdavo; noriu, kad "
              "mano pažadais būtų galima pasikliauti.",
    }),
    (MetricCode.QA, 90, {
        "en": "I want to pass the senior agent assessment in spring, and the QA score is part "
              "of it.",
        "ru": "Весной хочу пройти аттестацию на старшего специалиста, и оценка качества — её "
              "часть.",
        "lv": "Pavasarī gribu nokārtot vecākā speciālista novērtējumu, un kvalitātes vērtējums "
              "ir tā daļa.",
        "lt": "Pavasarį noriu išlaikyti vyresniojo specialisto vertinimą, o kokybės balas yra "
              "jo dalis.",
    }),
    (MetricCode.ESCALATION, 4, {
        "en": "I want to handle the hard cases myself instead of passing them on — that is how "
              "I learn.",
        "ru": "Хочу решать сложные случаи самостоятельно, а не передавать их дальше — так я "
              "учусь.",
        "lv": "Gribu sarežģītos gadījumus atrisināt bez nodošanas tālāk — tā es mācos.",
        "lt": "Noriu sudėtingus atvejus spręsti savarankiškai, o ne perduoti kitiems — taip aš "
              "mokausi.",
    }),
)  # fmt: skip

SUBJECTS: dict[str, tuple[str, ...]] = {
    "support": (
        "Invoice does not match the order", "Delivery is late", "Cannot sign in to the portal",
        "Change of billing address", "Refund for a returned item", "Damaged goods on arrival",
        "Question about the warranty", "Update payment card", "Where is my order?",
        "Cancel a subscription", "Wrong item delivered", "Password reset",
        "Copy of the contract", "Complaint about an earlier call", "Change delivery time",
    ),
    "sales": (
        "Quote for 20 licences", "Upgrade to the premium plan", "Price list request",
        "Book a product demo", "Contract renewal", "Volume discount", "Accounts for a new branch",
        "Extend the trial", "Compare plans", "Payment terms for a large order",
    ),
    "key": (
        "Quarterly business review", "Contract renewal terms", "Outage report",
        "Consolidated invoice", "Onboarding new users", "SLA report request",
        "Price review for next year", "Dedicated support line", "Data export request",
    ),
}  # fmt: skip

NOTES = (
    "Called back and confirmed.",
    "Sent step-by-step instructions by e-mail.",
    "Customer will check and reply.",
    "Checked with the warehouse, courier booked.",
    "Credit note issued.",
    "Explained the terms; customer satisfied.",
)

REVIEW_COMMENTS = (
    (85, "Clear, friendly and solved in one go. Keep it up."),
    (65, "Good outcome; confirm the problem back to the customer before you start solving."),
    (0, "The customer had to repeat the problem; let us go through this one together on Friday."),
)
DISPUTE_REASON = "The customer asked for a call-back the next day, so no follow-up was missed."
DISPUTE_RESOLUTION = (
    "Listened again: the rating stands, the follow-up was promised for the same day."
)


# --- Organisation shape -----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How one team or person tends to work; every draw of an interaction starts here."""

    response: float  # multiplies response delays: below 1 is faster
    fcr: float  # probability of resolving on first contact
    escalation: float  # probability of escalating
    quality: float  # shifts QA ratings and customer satisfaction, about -1..1
    discipline: float  # probability of doing a follow-up on time
    volume: float  # interactions a day on a full weekday

    def blend(self, other: "Profile", share: float) -> "Profile":
        """Return this profile moved `share` (0..1) of the way towards `other`."""
        return Profile(
            *(a + (b - a) * share for a, b in zip(_fields(self), _fields(other), strict=True))
        )

    def adjusted(self, skill: float) -> "Profile":
        """Return the profile of a person `skill` (about -1..1) better or worse than the team."""
        return Profile(
            response=self.response * math.exp(-0.6 * skill),
            fcr=_clamp(self.fcr + 0.08 * skill, 0.2, 0.95),
            escalation=_clamp(self.escalation - 0.03 * skill, 0.01, 0.3),
            quality=self.quality + skill,
            discipline=_clamp(self.discipline + 0.05 * skill, 0.4, 0.99),
            volume=self.volume * (1 + 0.12 * skill),
        )


def _fields(profile: Profile) -> tuple[float, ...]:
    return (
        profile.response,
        profile.fcr,
        profile.escalation,
        profile.quality,
        profile.discipline,
        profile.volume,
    )


@dataclass(frozen=True)
class TeamSpec:
    name: str
    slug: str
    kind: str  # which subjects its interactions carry
    country: str  # whose customers it serves; "" for the key accounts of every country
    share: float  # of the agents
    languages: dict[str, float]  # staff languages and how common
    channels: dict[str, float]
    weekday_hours: tuple[int, int]
    saturday_hours: tuple[int, int] | None
    profile: Profile
    # After the team's training change event the team works like this (reached in a week).
    trained: Profile | None = None
    manager: tuple[str, str, str, str] = ("", "", "", "en")  # username, first, last, language


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        name="Riga Support", slug="riga-support", kind="support", country="lv", share=0.3,
        languages={"lv": 0.55, "ru": 0.35, "en": 0.1},
        channels={Channel.PHONE: 35, Channel.EMAIL: 30, Channel.CHAT: 25, Channel.SOCIAL: 7,
                  Channel.IN_PERSON: 3},
        weekday_hours=(8, 18), saturday_hours=(10, 15),
        profile=Profile(0.8, 0.76, 0.05, 0.45, 0.92, 23),
        manager=("manager", "Ilze", "Kalniņa", "en"),
    ),
    TeamSpec(
        name="Vilnius Support", slug="vilnius-support", kind="support", country="lt", share=0.27,
        languages={"lt": 0.65, "ru": 0.25, "en": 0.1},
        channels={Channel.PHONE: 35, Channel.EMAIL: 30, Channel.CHAT: 25, Channel.SOCIAL: 7,
                  Channel.IN_PERSON: 3},
        weekday_hours=(8, 18), saturday_hours=(10, 15),
        profile=Profile(1.8, 0.55, 0.13, -0.45, 0.76, 20),
        trained=Profile(1.0, 0.72, 0.07, 0.2, 0.88, 21),
        manager=("ruta.petrauskiene", "Rūta", "Petrauskienė", "lt"),
    ),
    TeamSpec(
        name="Tallinn Sales", slug="tallinn-sales", kind="sales", country="ee", share=0.22,
        languages={"en": 0.7, "ru": 0.3},
        channels={Channel.PHONE: 40, Channel.EMAIL: 30, Channel.IN_PERSON: 15, Channel.CHAT: 10,
                  Channel.SOCIAL: 5},
        weekday_hours=(9, 17), saturday_hours=None,
        profile=Profile(1.1, 0.66, 0.06, 0.1, 0.85, 15),
        manager=("andres.tamm", "Andres", "Tamm", "en"),
    ),
    TeamSpec(
        name="Key Accounts", slug="key-accounts", kind="key", country="", share=0.21,
        languages={"en": 0.5, "lv": 0.2, "lt": 0.15, "ru": 0.15},
        channels={Channel.EMAIL: 45, Channel.PHONE: 35, Channel.IN_PERSON: 15, Channel.CHAT: 5},
        weekday_hours=(8, 17), saturday_hours=None,
        profile=Profile(0.9, 0.64, 0.09, 0.4, 0.95, 13),
        manager=("daniel.ward", "Daniel", "Ward", "en"),
    ),
)  # fmt: skip

_COUNTRY_LANGUAGES = {
    "lv": {"lv": 0.55, "ru": 0.35, "en": 0.1},
    "lt": {"lt": 0.7, "ru": 0.2, "en": 0.1},
    "ee": {"en": 0.65, "ru": 0.35},
}
_PHONE_PREFIX = {"lv": "+371 2", "lt": "+370 6", "ee": "+372 5"}
_TIERS = {Tier.STANDARD: 60, Tier.SILVER: 22, Tier.GOLD: 13, Tier.PLATINUM: 5}
_TIER_POINTS = {
    Tier.STANDARD: (5, 40),
    Tier.SILVER: (40, 120),
    Tier.GOLD: (120, 400),
    Tier.PLATINUM: (400, 1500),
}
_CRITERION_SHIFT = {"greeting": 0.4, "courtesy-teamwork": 0.3, "problem-solving": -0.2}


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_database_is_empty() -> bool:
    """Tell whether the database holds no team yet, so demo data may be loaded."""
    return not Team.objects.exists()


def demo_organisation_zone() -> zoneinfo.ZoneInfo:
    """Return the zone whose local days and opening hours the demo data follows."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- The scorecard ----------------------------------------------------------------------------


def demo_scorecard_create(*, today: dt.date) -> ScorecardVersion:
    """Create the "Customer service" scorecard: version 1 in force, version 2 a draft."""
    scorecard = Scorecard.objects.create(
        name="Customer service",
        slug=SCORECARD_SLUG,
        description="What we expect from everyone who serves customers, and how it is measured.",
    )
    effective = today - dt.timedelta(days=VERSION_AGE_DAYS)
    published = _version_create(
        scorecard=scorecard, number=1, effective_from=effective, draft=False
    )
    # Built as a draft with its rules, then published in one UPDATE: the model refuses to save
    # a published version, and on PostgreSQL a trigger refuses any change to its rules.
    published_at = dt.datetime.combine(
        effective - dt.timedelta(days=7), dt.time(10), tzinfo=demo_organisation_zone()
    )
    ScorecardVersion.objects.filter(pk=published.pk).update(
        status=VersionStatus.PUBLISHED, published_at=published_at
    )
    _version_create(
        scorecard=scorecard, number=2, effective_from=today + dt.timedelta(days=14), draft=True
    )
    published.refresh_from_db()
    return published


def _version_create(
    *, scorecard: Scorecard, number: int, effective_from: dt.date, draft: bool
) -> ScorecardVersion:
    translations = {language: {"intro": INTRO[language]} for language in TRANSLATED_LANGUAGES}
    if draft:
        for language in TRANSLATED_LANGUAGES:
            translations[language]["change_summary"] = DRAFT_CHANGE_SUMMARY[language]
    version = ScorecardVersion.objects.create(
        scorecard=scorecard,
        number=number,
        effective_from=effective_from,
        intro=INTRO["en"],
        change_summary=DRAFT_CHANGE_SUMMARY["en"] if draft else "",
        sla_minutes=SLA_MINUTES,
        green_from=Decimal(80),
        amber_from=Decimal(60),
        translations=translations,
    )
    Metric.objects.bulk_create(
        [
            Metric(
                version=version,
                position=position,
                code=spec.code,
                label=spec.text["en"][0],
                weight=Decimal(spec.draft_weight if draft else spec.weight),
                target=Decimal(spec.target),
                floor=Decimal(spec.floor),
                min_sample=spec.min_sample,
                rule_what=spec.text["en"][1],
                rule_why=spec.text["en"][2],
                rule_how=spec.text["en"][3],
                translations={
                    language: dict(
                        zip(
                            ("label", "rule_what", "rule_why", "rule_how"),
                            spec.text[language],
                            strict=True,
                        )
                    )
                    for language in TRANSLATED_LANGUAGES
                },
            )
            for position, spec in enumerate(METRICS, start=1)
        ]
    )
    QACriterion.objects.bulk_create(
        [
            QACriterion(
                version=version,
                position=position,
                code=spec.code,
                label=spec.text["en"][0],
                description=spec.text["en"][1],
                examples=spec.text["en"][2],
                weight=Decimal(spec.weight),
                is_critical=spec.is_critical,
                translations={
                    language: dict(
                        zip(("label", "description", "examples"), spec.text[language], strict=True)
                    )
                    for language in TRANSLATED_LANGUAGES
                },
            )
            for position, spec in enumerate(CRITERIA, start=1)
        ]
    )
    return version


# --- The default organisation -----------------------------------------------------------------


@dataclass
class _Person:
    employee: Employee
    skill: float
    # (team spec, first day, last day or None) in date order
    spells: list[tuple[TeamSpec, dt.date, dt.date | None]]

    def spec_on(self, day: dt.date) -> TeamSpec | None:
        for spec, first, last in self.spells:
            if first <= day and (last is None or day <= last):
                return spec
        return None


@dataclass
class _Draft:
    """An interaction as drawn, before anything after the present moment is cut off."""

    person: _Person
    spec: TeamSpec
    customer: Customer
    channel: str
    subject: str
    notes: str
    opened: dt.datetime
    responded: dt.datetime
    resolved: dt.datetime
    is_fcr: bool
    is_escalated: bool
    follow_up_due: dt.date | None
    follow_up_done: dt.datetime | None
    follow_up_outcome: str  # "", "on_time", "late" or "missed"
    quality: float
    source: str
    is_flagged: bool
    row: Interaction | None = None


class _Builder:
    """Draw the default organisation day by day; write every table with a few bulk inserts."""

    def __init__(
        self, *, seed: int, today: dt.date, agents: int, days: int, customers: int, report: Report
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.agents = agents
        self.days = days
        self.customer_count = customers
        self.report = report
        self.zone = demo_organisation_zone()
        self.now = timezone.now()
        self.first_day = today - dt.timedelta(days=days - 1)
        self.password = make_password(settings.CRS_DEMO_PASSWORD)
        self.usernames: set[str] = set()
        self.teams: dict[str, Team] = {}
        self.managers: dict[str, Employee] = {}
        self.people: list[_Person] = []
        self.customers: list[Customer] = []
        self.pools: dict[str, list[Customer]] = {}
        self.drafts: list[_Draft] = []
        self.counts: dict[str, int] = {}

    # Dates and times

    def at(self, day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=self.zone)

    def hours_on(self, spec: TeamSpec, day: dt.date) -> tuple[int, int] | None:
        weekday = day.weekday()
        if weekday < 5:
            return spec.weekday_hours
        return spec.saturday_hours if weekday == 5 else None

    def into_hours(self, spec: TeamSpec, moment: dt.datetime) -> dt.datetime:
        """Move a moment outside the team's opening hours to shortly after the next opening."""
        local = moment.astimezone(self.zone)
        day = local.date()
        hours = self.hours_on(spec, day)
        if hours and hours[0] <= local.hour < hours[1]:
            return moment
        if not hours or local.hour >= hours[1]:
            day += dt.timedelta(days=1)
            while not (hours := self.hours_on(spec, day)):
                day += dt.timedelta(days=1)
        return self.at(day, hours[0]) + dt.timedelta(minutes=self.rng.uniform(2, 45))

    def business_days_after(self, day: dt.date, count: int) -> dt.date:
        while count:
            day += dt.timedelta(days=1)
            count -= day.weekday() < 5
        return day

    # Steps

    def run(self) -> dict[str, int]:
        self.report(_("Scorecard and rules…"))
        self.version = demo_scorecard_create(today=self.today)
        self.criteria = list(self.version.qa_criteria.order_by("position"))
        self.report(_("Teams and staff…"))
        self.staff_create()
        self.report(_("Customers…"))
        self.customers_create()
        self.change_events_create()
        self.report(_("Interactions…"))
        self.interactions_draw()
        self.interactions_write()
        self.report(_("Surveys…"))
        self.surveys_create()
        self.report(_("QA reviews…"))
        self.reviews_create()
        self.goals_create()
        self.acknowledgements_create()
        return self.counts

    def user_new(self, *, first: str, last: str, username: str = "", **extra):
        if not username:
            base = f"{_ascii(first)}.{_ascii(last)}"
            username, number = base, 1
            while username in self.usernames:
                number += 1
                username = f"{base}{number}"
        self.usernames.add(username)
        return get_user_model()(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@crs.example",
            password=self.password,
            **extra,
        )

    def name_draw(self, tradition: str) -> tuple[str, str]:
        male_first, male_last, female_first, female_last = NAMES[tradition]
        if self.rng.random() < 0.6:
            return self.rng.choice(female_first), self.rng.choice(female_last)
        return self.rng.choice(male_first), self.rng.choice(male_last)

    def staff_create(self) -> None:
        rng = self.rng
        counts = [max(2, round(self.agents * spec.share)) for spec in TEAMS]
        counts[0] += self.agents - sum(counts)
        for spec in TEAMS:
            self.teams[spec.slug] = Team(
                name=spec.name,
                slug=spec.slug,
                scorecard=self.version.scorecard,
                qa_sample_size=4 if spec.kind == "key" else 3,
                survey_channels=list(Channel.values),
                survey_rate_percent=60,
                survey_cooldown_days=2,
            )
        Team.objects.bulk_create(self.teams.values())

        # (user, role, hire date, language, team spec or None, skill)
        rows = [
            (
                self.user_new(
                    username="admin", first="Marta", last="Lapiņa", is_staff=True,
                    is_superuser=True,
                ),
                Role.ADMIN, self.today - dt.timedelta(days=1460), "en", None, 0.0,
            ),
            (
                self.user_new(username="onboarding", first="Laura", last="Vītola"),
                Role.ONBOARDING, self.today - dt.timedelta(days=900), "en", None, 0.0,
            ),
        ]  # fmt: skip
        for spec in TEAMS:
            username, first, last, language = spec.manager
            rows.append(
                (
                    self.user_new(username=username, first=first, last=last),
                    Role.MANAGER,
                    self.today - dt.timedelta(days=rng.randint(900, 2500)),
                    language,
                    spec,
                    0.0,
                )
            )
        hires = {"riga-support": 14, "tallinn-sales": 25, "key-accounts": 9}
        for spec, count in zip(TEAMS, counts, strict=True):
            for index in range(count):
                language = _weighted(rng, spec.languages)
                # English speakers in Tallinn carry Estonian names.
                tradition = "ee" if spec.country == "ee" and language == "en" else language
                first, last = self.name_draw(tradition)
                skill = rng.gauss(0, 0.35)
                username = ""
                if spec.slug == "riga-support" and index == 0:
                    username, first, last, language, skill = "agent", "Anna", "Ozoliņa", "en", 0.15
                elif count >= 5 and index == 2:
                    skill = 0.8  # the team's star
                elif count >= 5 and index == 3:
                    skill = -0.7  # and the one who needs coaching
                days_ago = rng.randint(200, 2200)
                is_new = spec.slug in hires and index == count - 1
                if is_new or (spec.slug == "riga-support" and count >= 5 and index == count - 2):
                    days_ago = hires[spec.slug]
                rows.append(
                    (
                        self.user_new(username=username, first=first, last=last),
                        Role.AGENT,
                        self.today - dt.timedelta(days=days_ago),
                        language,
                        spec,
                        skill,
                    )
                )
        users = get_user_model().objects.bulk_create([row[0] for row in rows])
        employees = Employee.objects.bulk_create(
            [
                Employee(
                    user=user,
                    role=role,
                    hire_date=hired,
                    language=language,
                    external_id=f"HR-{1001 + index}",
                )
                for index, (user, (_user, role, hired, language, _spec, _skill)) in enumerate(
                    zip(users, rows, strict=True)
                )
            ]
        )
        memberships = []
        move_day = self.today - dt.timedelta(days=MOVE_DAYS_AGO)
        riga_agents = 0
        for employee, (_user, role, hired, _language, spec, skill) in zip(
            employees, rows, strict=True
        ):
            if role == Role.MANAGER:
                self.managers[spec.slug] = employee
                continue
            if role != Role.AGENT:
                continue
            spells = [(spec, hired, None)]
            if spec.slug == "riga-support":
                riga_agents += 1
                # One agent moved from Riga Support to Key Accounts: the old membership ends
                # the day before the new one starts, so each past day keeps its team.
                if riga_agents == 2:
                    key = next(team for team in TEAMS if team.slug == "key-accounts")
                    spells = [
                        (spec, hired, move_day - dt.timedelta(days=1)),
                        (key, move_day, None),
                    ]
            memberships += [
                TeamMembership(
                    employee=employee, team=self.teams[s.slug], starts_on=first, ends_on=last
                )
                for s, first, last in spells
            ]
            self.people.append(_Person(employee=employee, skill=skill, spells=spells))
        TeamMembership.objects.bulk_create(memberships)
        for slug, manager in self.managers.items():
            self.teams[slug].managers.add(manager)
        self.employees = employees
        self.counts.update(teams=len(self.teams), employees=len(employees), agents=len(self.people))

    def customers_create(self) -> None:
        rng = self.rng
        customers = []
        for index in range(self.customer_count):
            country = _weighted(rng, {"lv": 40, "lt": 35, "ee": 25})
            language = _weighted(rng, _COUNTRY_LANGUAGES[country])
            tier = _weighted(rng, _TIERS)
            tradition = "ee" if country == "ee" and language == "en" else language
            first, last = self.name_draw(tradition)
            is_company = tier in (Tier.GOLD, Tier.PLATINUM) or rng.random() < 0.6
            company = rng.choice(COMPANIES[country]) if is_company else ""
            domain = (
                f"{_ascii(company).replace(' ', '')}.{country}"
                if company
                else rng.choice(("gmail.com", "inbox.lv", "outlook.com", "mail.ee"))
            )
            customer = Customer(
                name=f"{first} {last}",
                company=company,
                email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                phone=f"{_PHONE_PREFIX[country]}{rng.randint(0, 9999999):07d}",
                language=language,
                tier=tier,
                value_points=rng.randint(*_TIER_POINTS[tier]),
                external_id=f"C-{10001 + index}",
                has_opted_out_of_surveys=rng.random() < 0.08,
            )
            customers.append(customer)
            self.pools.setdefault(country, []).append(customer)
            if tier in (Tier.GOLD, Tier.PLATINUM):
                self.pools.setdefault("", []).append(customer)
        self.customers = Customer.objects.bulk_create(customers)
        self.counts["customers"] = len(customers)

    def change_events_create(self) -> None:
        training_day = self.today - dt.timedelta(days=TRAINING_DAYS_AGO)
        hire_day = self.today - dt.timedelta(days=NEW_HIRE_DAYS_AGO)
        events = [
            ChangeEvent(
                day=training_day,
                team=self.teams["vilnius-support"],
                kind=ChangeKind.TRAINING,
                title="First-contact resolution and de-escalation training",
                notes="Two days of coaching for the whole team: asking the second question, "
                "using the knowledge base, calming an upset customer. Follow-up reminders "
                "switched on in the helpdesk the same week.",
                created_by=self.managers["vilnius-support"],
            ),
            ChangeEvent(
                day=hire_day,
                team=self.teams["riga-support"],
                kind=ChangeKind.NEW_HIRE,
                title="New agents join Riga Support",
                notes="New colleagues start on the phone and chat queues with a buddy for "
                "their first three weeks.",
                created_by=self.managers["riga-support"],
            ),
        ]
        for event in events:
            event.created_at = self.at(event.day, 9, 30)
        _bulk_create_dated(ChangeEvent, events, "created_at")
        self.counts["change_events"] = len(events)

    def profile_on(self, person: _Person, spec: TeamSpec, day: dt.date) -> Profile:
        profile = spec.profile
        if spec.trained is not None:
            training_day = self.today - dt.timedelta(days=TRAINING_DAYS_AGO)
            share = _clamp((day - training_day).days / 7, 0, 1)
            profile = profile.blend(spec.trained, share)
        tenure = (day - person.employee.hire_date).days
        ramp = _clamp(0.35 + 0.65 * tenure / 21, 0.35, 1)
        profile = profile.adjusted(person.skill - 0.6 * (1 - ramp))
        return replace(profile, volume=profile.volume * ramp)

    def interactions_draw(self) -> None:
        rng = self.rng
        peaks = _hour_weights
        for person in self.people:
            for offset in range(self.days):
                day = self.first_day + dt.timedelta(days=offset)
                spec = person.spec_on(day)
                hours = spec and self.hours_on(spec, day)
                if not hours:
                    continue
                if day.weekday() == 5:
                    if rng.random() > 0.3:
                        continue
                    share = 0.45
                else:
                    if rng.random() < 0.05:
                        continue  # a day off
                    share = 1.0
                profile = self.profile_on(person, spec, day)
                count = max(0, round(rng.gauss(profile.volume * share, 3)))
                choices, weights = peaks(hours)
                for _index in range(count):
                    hour = rng.choices(choices, weights=weights)[0]
                    opened = self.at(day, hour, rng.randrange(60), rng.randrange(60))
                    self.drafts.append(self.draft(person, spec, profile, opened))
        self.drafts.sort(key=lambda draft: (draft.opened, draft.person.employee.pk))

    def draft(
        self, person: _Person, spec: TeamSpec, profile: Profile, opened: dt.datetime
    ) -> _Draft:
        rng = self.rng
        channel = _weighted(rng, spec.channels)
        is_live = channel in (Channel.PHONE, Channel.IN_PERSON)
        if is_live:
            minutes = rng.expovariate(1 / 1.2)
        elif channel == Channel.CHAT:
            minutes = rng.lognormvariate(math.log(3), 0.6)
        else:
            minutes = rng.lognormvariate(math.log(20), 0.9)
        responded = self.into_hours(spec, opened + dt.timedelta(minutes=minutes * profile.response))
        fcr_chance = profile.fcr + (0.06 if is_live else -0.1)
        is_fcr = rng.random() < fcr_chance
        is_escalated = not is_fcr and rng.random() < _clamp(
            profile.escalation / max(0.05, 1 - fcr_chance), 0, 0.6
        )
        if is_fcr:
            resolved = responded + dt.timedelta(minutes=rng.lognormvariate(math.log(8), 0.5))
        else:
            hours = rng.lognormvariate(math.log(5 * profile.response), 0.9)
            hours = min(240.0, hours * (2.5 if is_escalated else 1))
            resolved = self.into_hours(spec, responded + dt.timedelta(hours=hours))
        due = done = None
        outcome = ""
        if is_escalated or (not is_fcr and rng.random() < 0.5):
            resolved_day = resolved.astimezone(self.zone).date()
            due = self.business_days_after(resolved_day, rng.choice((1, 1, 2, 3)))
            draw = rng.random()
            if draw < profile.discipline:
                outcome = "on_time"
                done = max(
                    self.at(due, rng.randint(9, 16), rng.randrange(60)),
                    resolved + dt.timedelta(minutes=30),
                )
            elif draw < profile.discipline + (1 - profile.discipline) * 0.6:
                outcome = "late"
                done = self.at(
                    due + dt.timedelta(days=rng.randint(1, 3)),
                    rng.randint(9, 16),
                    rng.randrange(60),
                )
            else:
                outcome = "missed"
        source = "crs"
        if channel in (Channel.EMAIL, Channel.SOCIAL) and rng.random() < 0.6:
            source = "helpdesk"
        return _Draft(
            person=person,
            spec=spec,
            customer=rng.choice(self.pools.get(spec.country) or self.customers),
            channel=channel,
            subject=rng.choice(SUBJECTS[spec.kind]),
            notes=rng.choice(NOTES) if rng.random() < 0.25 else "",
            opened=opened,
            responded=responded,
            resolved=resolved,
            is_fcr=is_fcr,
            is_escalated=is_escalated,
            follow_up_due=due,
            follow_up_done=done,
            follow_up_outcome=outcome,
            quality=profile.quality,
            source=source,
            is_flagged=rng.random() < 0.01,
        )

    def happened(self, moment: dt.datetime | None) -> dt.datetime | None:
        return moment if moment is not None and moment <= self.now else None

    def interactions_write(self) -> None:
        rows = []
        helpdesk_number = 100000
        for draft in self.drafts:
            if draft.opened > self.now:
                continue
            resolved = self.happened(draft.resolved)
            external_id = None
            if draft.source == "helpdesk":
                helpdesk_number += 1
                external_id = f"HD-{helpdesk_number}"
            draft.row = Interaction(
                customer=draft.customer,
                employee=draft.person.employee,
                channel=draft.channel,
                subject=draft.subject,
                notes=draft.notes,
                opened_at=draft.opened,
                first_response_at=self.happened(draft.responded),
                resolved_at=resolved,
                is_first_contact_resolution=draft.is_fcr and resolved is not None,
                is_escalated=draft.is_escalated,
                follow_up_due=draft.follow_up_due,
                follow_up_done_at=self.happened(draft.follow_up_done),
                is_flagged_for_review=draft.is_flagged,
                source=draft.source,
                external_id=external_id,
            )
            rows.append(draft.row)
        Interaction.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        # Historical creation times, so "recent" lists and audit fields read like real use.
        Interaction.objects.filter(pk__in=[row.pk for row in rows]).update(
            created_at=F("opened_at"),
            updated_at=Coalesce(
                "follow_up_done_at", "resolved_at", "first_response_at", "opened_at"
            ),
        )
        self.counts["interactions"] = len(rows)

    def surveys_create(self) -> None:
        rng = self.rng
        last_invited: dict[int, dt.date] = {}
        invitations, responses = [], []
        for draft in self.drafts:
            customer = draft.customer
            resolved_day = draft.resolved.astimezone(self.zone).date()
            previous = last_invited.get(customer.pk)
            if customer.has_opted_out_of_surveys or (
                previous is not None and (resolved_day - previous).days < 2
            ):
                continue
            if rng.random() >= 0.6:
                continue
            last_invited[customer.pk] = resolved_day
            sent = draft.resolved + dt.timedelta(minutes=5)
            invitation = SurveyInvitation(
                language=customer.language,
                nonce=f"{rng.getrandbits(128):032x}",
                expires_at=sent + dt.timedelta(days=14),
                sent_at=sent,
            )
            answered = None
            if rng.random() < 0.4:
                delay = min(13 * 24.0, rng.lognormvariate(math.log(3), 1.2))
                answered = sent + dt.timedelta(hours=delay)
                csat, nps, comment = self.answer_draw(draft)
            if draft.row is None or draft.row.resolved_at is None or sent > self.now:
                continue
            invitation.interaction = draft.row
            invitations.append(invitation)
            if answered is not None and answered <= self.now:
                invitation.used_at = answered
                responses.append(
                    SurveyResponse(
                        interaction=draft.row,
                        invitation=invitation,
                        csat=csat,
                        nps=nps,
                        comment=comment,
                        language=customer.language,
                        submitted_at=answered,
                    )
                )
        SurveyInvitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
        SurveyInvitation.objects.filter(pk__in=[row.pk for row in invitations]).update(
            created_at=F("sent_at")
        )
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        self.counts.update(survey_invitations=len(invitations), survey_responses=len(responses))

    def answer_draw(self, draft: _Draft) -> tuple[int, int | None, str]:
        rng = self.rng
        hours = (draft.resolved - draft.opened).total_seconds() / 3600
        waited = (draft.responded - draft.opened).total_seconds() / 60
        mood = (
            4.3
            + 0.55 * draft.quality
            + 0.3 * draft.is_fcr
            - 0.8 * draft.is_escalated
            - 0.5 * (hours > 24)
            - 0.4 * (waited > 60)
            - 0.6 * (draft.follow_up_outcome == "missed")
            + rng.gauss(0, 0.85)
        )
        csat = int(_clamp(round(mood), 1, 5))
        nps = None
        if rng.random() < 0.85:
            nps = int(_clamp(round(csat * 2 - 0.3 + rng.gauss(0, 1.3)), 0, 10))
        comment = ""
        if rng.random() < 0.45:
            mood_key = "good" if csat >= 4 else "fair" if csat == 3 else "poor"
            comment = rng.choice(COMMENTS[draft.customer.language][mood_key])
        return csat, nps, comment

    def reviews_create(self) -> None:
        rng = self.rng
        weeks: dict[tuple[int, dt.date], list[_Draft]] = {}
        for draft in self.drafts:
            day = draft.opened.astimezone(self.zone).date()
            monday = day - dt.timedelta(days=day.weekday())
            weeks.setdefault((draft.person.employee.pk, monday), []).append(draft)
        reviews, ratings, events = [], [], []
        for (_employee_id, _monday), candidates in weeks.items():
            size = self.teams[candidates[0].spec.slug].qa_sample_size
            for draft in rng.sample(candidates, min(size, len(candidates))):
                review, review_ratings, review_events = self.review_draw(draft)
                if review is None:
                    continue
                reviews.append(review)
                ratings += review_ratings
                events += review_events
        _bulk_create_dated(QAReview, reviews, "created_at")
        QARating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
        _bulk_create_dated(QAReviewEvent, events, "at")
        self.counts.update(qa_reviews=len(reviews), qa_ratings=len(ratings))

    def review_draw(self, draft: _Draft):
        rng = self.rng
        reviewer = self.managers[draft.spec.slug]
        published = self.into_hours(
            draft.spec, draft.resolved + dt.timedelta(hours=rng.uniform(20, 96))
        )
        ratings = []
        for criterion in self.criteria:
            if criterion.code == "correct-escalation":
                if not draft.is_escalated:
                    rating = None
                elif rng.random() < 0.04:
                    rating = 0
                else:
                    rating = self.rating_draw(draft.quality + 0.2)
            elif criterion.code == "follow-up":
                rating = {
                    "": None,
                    "on_time": rng.choice((3, 4, 4)),
                    "late": rng.choice((1, 2)),
                    "missed": rng.choice((0, 1)),
                }[draft.follow_up_outcome]
            else:
                rating = self.rating_draw(draft.quality + _CRITERION_SHIFT.get(criterion.code, 0))
            ratings.append(QARating(criterion=criterion, rating=rating))
        total = quantize(
            qa_review_total(
                ratings=[
                    CriterionRating(
                        weight=criterion.weight,
                        rating=row.rating,
                        is_critical=criterion.is_critical,
                    )
                    for criterion, row in zip(self.criteria, ratings, strict=True)
                ]
            )
        )
        fate = rng.random()
        disputed = published + dt.timedelta(days=1, hours=rng.uniform(0, 6))
        settled = disputed + dt.timedelta(days=1, hours=rng.uniform(0, 6))
        if draft.row is None or draft.row.resolved_at is None:
            return None, [], []
        agent = draft.person.employee
        review = QAReview(
            interaction=draft.row,
            reviewer=reviewer,
            version=self.version,
            reason=ReviewReason.FLAGGED if draft.is_flagged else ReviewReason.SAMPLE,
            created_at=published - dt.timedelta(hours=2),
        )
        for rating in ratings:
            rating.review = review
        events = [
            QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.CREATED,
                          at=review.created_at),
        ]  # fmt: skip
        if published > self.now:
            review.created_at = min(review.created_at, self.now)
            events[0].at = review.created_at
            return review, ratings, events
        review.status = ReviewStatus.PUBLISHED
        review.total = total
        review.published_at = review.scored_at = published
        review.comment = next(text for floor, text in REVIEW_COMMENTS if total >= floor)
        events.append(
            QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.PUBLISHED,
                          total=total, at=published)
        )  # fmt: skip
        if fate < 0.05 and disputed <= self.now:
            review.status = ReviewStatus.DISPUTED
            review.dispute_reason = DISPUTE_REASON
            review.disputed_at = disputed
            events.append(
                QAReviewEvent(review=review, actor=agent, action=ReviewAction.DISPUTED,
                              note=DISPUTE_REASON, at=disputed)
            )  # fmt: skip
            if fate < 0.025 and settled <= self.now:
                review.status = ReviewStatus.RESOLVED
                review.dispute_outcome = DisputeOutcome.UPHELD
                review.resolution_note = DISPUTE_RESOLUTION
                review.resolved_at = settled
                review.resolved_by = reviewer
                events.append(
                    QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.RESOLVED,
                                  note=DISPUTE_RESOLUTION, total=total, at=settled)
                )  # fmt: skip
        return review, ratings, events

    def rating_draw(self, quality: float) -> int:
        return int(_clamp(round(self.rng.gauss(2.9 + 0.7 * quality, 0.75)), 0, 4))

    def goals_create(self) -> None:
        rng = self.rng
        chosen = [self.people[0], *rng.sample(self.people[1:], min(7, len(self.people) - 1))]
        goals = []
        for index, person in enumerate(chosen):
            metric, target, why = GOALS[0] if index == 0 else rng.choice(GOALS)
            language = person.employee.language
            manager = self.managers[person.spells[-1][0].slug]
            starts = self.today - dt.timedelta(days=rng.randint(10, 25))
            goals.append(
                Goal(
                    employee=person.employee,
                    metric=metric,
                    target=Decimal(target),
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=60),
                    why=why[language],
                    set_by=manager,
                    created_at=self.at(starts, 11),
                )
            )
            if index % 2 == 0:
                # The goal before this one, set a step lower: most people met it, some not.
                metric, _target, why = rng.choice(GOALS)
                target = EARLIER_GOAL_TARGETS[metric]
                earlier = starts - dt.timedelta(days=60)
                goals.append(
                    Goal(
                        employee=person.employee,
                        metric=metric,
                        target=Decimal(target),
                        starts_on=earlier,
                        ends_on=starts - dt.timedelta(days=1),
                        why=why[language],
                        set_by=manager,
                        created_at=self.at(earlier, 11),
                    )
                )
        _bulk_create_dated(Goal, goals, "created_at")
        self.counts["goals"] = len(goals)

    def acknowledgements_create(self) -> None:
        rng = self.rng
        acknowledgements = []
        for employee in self.employees:
            is_new = (self.today - employee.hire_date).days <= 31
            if is_new and rng.random() < 0.5:
                continue
            first = max(employee.hire_date, self.version.effective_from)
            moment = self.at(first + dt.timedelta(days=rng.randint(0, 4)), rng.randint(9, 16))
            acknowledgements.append(
                RuleAcknowledgement(
                    employee=employee, version=self.version, acknowledged_at=min(moment, self.now)
                )
            )
        _bulk_create_dated(RuleAcknowledgement, acknowledgements, "acknowledged_at")
        self.counts["rule_acknowledgements"] = len(acknowledgements)


def _bulk_create_dated(model, rows: list, field_name: str) -> None:
    """Insert rows keeping the moments set on them in an auto_now_add field.

    bulk_create stamps such a field with the present moment; the demo's history needs the
    moments it drew, so they are put back with one bulk UPDATE.
    """
    stamps = [getattr(row, field_name) for row in rows]
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    for row, stamp in zip(rows, stamps, strict=True):
        setattr(row, field_name, stamp)
    model.objects.bulk_update(rows, [field_name], batch_size=1000)


def _hour_weights(hours: tuple[int, int]) -> tuple[list[int], list[float]]:
    """Return the opening hours and how busy each is: a morning and an afternoon peak."""
    choices = list(range(*hours))
    weights = [
        1 + 1.2 * math.exp(-(((h - 10.5) / 1.5) ** 2)) + 0.9 * math.exp(-(((h - 14.5) / 1.5) ** 2))
        for h in choices
    ]
    return choices, weights


MIN_AGENTS = 10


def demo_seed(
    *,
    seed: int = 2026,
    today: dt.date,
    agents: int = 40,
    days: int = 90,
    customers: int = 300,
    report: Report = lambda message: None,
) -> dict[str, int]:
    """Fill an empty database with the demo organisation; return how many rows of each kind."""
    if agents < MIN_AGENTS:
        raise ValueError(f"The demo needs at least {MIN_AGENTS} agents, not {agents}.")
    if days < 1 or customers < 10:
        raise ValueError("The demo needs at least one day and ten customers.")
    builder = _Builder(
        seed=seed, today=today, agents=agents, days=days, customers=customers, report=report
    )
    with transaction.atomic():
        return builder.run()


def demo_scores_compute(*, date_from: dt.date, date_to: dt.date) -> bool:
    """Compute the scores of the seeded days as the scheduled runs would have; return False
    when scoring is not available.

    Days are recorded final once their SLA deadlines have passed, each final day's alerts are
    judged in order (so the demo has the alerts its history would have raised, those older
    than a week acknowledged by a manager), and ended goals are settled.
    """
    try:
        from scorecards import alerts, services
        from scorecards.selectors import days_final_at
    except ImportError:
        return False
    now = timezone.now()
    services.scores_compute(date_from=date_from, date_to=date_to, employee_ids=None, now=now)
    final_at = days_final_at(date_from=date_from, date_to=date_to)
    ScoreFillState.objects.bulk_create(
        [
            ScoreFillState(day=day, is_final=now >= at, started_at=now, computed_at=now)
            for day, at in final_at.items()
        ],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["is_final", "started_at", "computed_at"],
    )
    for day, at in sorted(final_at.items()):
        if now >= at:
            alerts.alerts_evaluate(day=day)
    _demo_alerts_acknowledge(before=timezone.localdate(now) - dt.timedelta(days=7), now=now)
    services.goals_settle(now=now)
    return True


def _demo_alerts_acknowledge(*, before: dt.date, now: dt.datetime) -> None:
    """Mark the older alerts seen (and mailed), as a team that reads its alerts would have."""
    manager = Employee.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    Alert.objects.filter(day__lt=before).update(
        acknowledged_at=now,
        acknowledged_by=manager.user if manager is not None else None,
        emailed_at=now,
    )
    Alert.objects.filter(day__gte=before).update(emailed_at=now)


# --- Large synthetic sets for benchmarks ------------------------------------------------------

AGENTS_PER_SCALE_TEAM = 50
_SCALE_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.CHAT, Channel.SOCIAL, Channel.IN_PERSON)
_SCALE_CHANNEL_WEIGHTS = (35, 30, 25, 7, 3)


def demo_seed_scale(
    *,
    seed: int = 2026,
    today: dt.date,
    agents: int,
    per_day: int,
    days: int,
    progress: TextIO | None = None,
) -> dict[str, int]:
    """Fill an empty database with a large synthetic organisation for benchmarks; no scores.

    Rows go in with bulk inserts of BATCH_SIZE, an agent's whole range at a time, so memory
    stays flat however many agents there are.
    """
    if agents < 1 or per_day < 1 or days < 1:
        raise ValueError("--agents, --per-day and --days must be at least 1.")
    with transaction.atomic():
        return _ScaleBuilder(seed=seed, today=today, agents=agents, per_day=per_day, days=days).run(
            progress=progress
        )


class _ScaleBuilder:
    def __init__(self, *, seed: int, today: dt.date, agents: int, per_day: int, days: int):
        self.rng = random.Random(seed)
        self.zone = demo_organisation_zone()
        self.now = timezone.now()
        self.today = today
        self.first_day = today - dt.timedelta(days=days - 1)
        self.agents = agents
        self.per_day = per_day
        self.days = days
        self.counts = dict.fromkeys(
            ("interactions", "survey_responses", "qa_reviews", "qa_ratings"), 0
        )
        self.pending: dict[type, list] = {
            Interaction: [],
            SurveyResponse: [],
            QAReview: [],
            QARating: [],
        }

    def run(self, *, progress: TextIO | None) -> dict[str, int]:
        self.version = demo_scorecard_create(today=self.today)
        self.criteria = list(self.version.qa_criteria.order_by("position"))
        self.staff_create()
        self.customers_create()
        with tqdm(
            total=self.agents * self.days,
            unit="agent-day",
            file=progress,
            disable=progress is None,
            mininterval=0.5,
        ) as bar:
            for agent, team_index in self.agent_rows:
                self.agent_draw(agent, self.leads[team_index])
                if len(self.pending[Interaction]) >= BATCH_SIZE:
                    self.flush()
                bar.update(self.days)
            self.flush()
        return {
            "teams": len(self.leads),
            "employees": len(self.leads) + self.agents + 1,
            "agents": self.agents,
            "customers": len(self.customers),
            **self.counts,
        }

    def staff_create(self) -> None:
        team_count = max(1, round(self.agents / AGENTS_PER_SCALE_TEAM))
        teams = Team.objects.bulk_create(
            [
                Team(name=f"Team {i:02d}", slug=f"team-{i:02d}", scorecard=self.version.scorecard)
                for i in range(1, team_count + 1)
            ]
        )
        password = make_password(settings.CRS_DEMO_PASSWORD)
        user_model = get_user_model()
        users = [
            user_model(username="admin", password=password, is_staff=True, is_superuser=True),
            *(
                user_model(username=f"lead-{i:02d}", password=password)
                for i in range(1, team_count + 1)
            ),
            *(
                user_model(username=f"agent-{i:05d}", password=password)
                for i in range(1, self.agents + 1)
            ),
        ]
        user_model.objects.bulk_create(users, batch_size=BATCH_SIZE)
        hired = self.first_day - dt.timedelta(days=365)
        roles = [Role.ADMIN] + [Role.MANAGER] * team_count + [Role.AGENT] * self.agents
        employees = Employee.objects.bulk_create(
            [
                Employee(user=user, role=role, hire_date=hired)
                for user, role in zip(users, roles, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        self.leads = employees[1 : team_count + 1]
        agents = employees[team_count + 1 :]
        Team.managers.through.objects.bulk_create(
            [
                Team.managers.through(team_id=team.pk, employee_id=lead.pk)
                for team, lead in zip(teams, self.leads, strict=True)
            ]
        )
        self.agent_rows = [(agent, index % team_count) for index, agent in enumerate(agents)]
        TeamMembership.objects.bulk_create(
            [
                TeamMembership(employee=agent, team=teams[team_index], starts_on=hired)
                for agent, team_index in self.agent_rows
            ],
            batch_size=BATCH_SIZE,
        )

    def customers_create(self) -> None:
        rng = self.rng
        tiers = list(_TIERS)
        self.customers = Customer.objects.bulk_create(
            [
                Customer(
                    name=f"Customer {i:06d}",
                    language=rng.choice(("en", "ru", "lv", "lt")),
                    tier=rng.choices(tiers, weights=list(_TIERS.values()))[0],
                    value_points=rng.randint(5, 400),
                    has_opted_out_of_surveys=rng.random() < 0.08,
                )
                for i in range(1, max(300, 2 * self.agents) + 1)
            ],
            batch_size=BATCH_SIZE,
        )

    def agent_draw(self, agent: Employee, lead: Employee) -> None:
        rng = self.rng
        profile = TEAMS[0].profile.adjusted(rng.gauss(0, 0.35))
        spread = max(1, self.per_day // 5)
        weeks: dict[int, list[tuple[Interaction, dt.datetime]]] = {}
        for offset in range(self.days):
            day = self.first_day + dt.timedelta(days=offset)
            opening = dt.datetime.combine(day, dt.time(8), tzinfo=self.zone)
            for _index in range(max(1, self.per_day + rng.randint(-spread, spread))):
                row, resolved = self.interaction_draw(agent, profile, opening)
                if row is not None:
                    weeks.setdefault(offset // 7, []).append((row, resolved))
        for week in weeks.values():
            for row, resolved in week:
                self.pending[Interaction].append(row)
                if rng.random() < 0.25:
                    self.response_draw(row, resolved, profile.quality)
            for row, resolved in rng.sample(week, min(3, len(week))):
                self.review_draw(row, resolved, profile.quality, lead)

    def interaction_draw(
        self, agent: Employee, profile: Profile, opening: dt.datetime
    ) -> tuple[Interaction | None, dt.datetime]:
        rng = self.rng
        opened = opening + dt.timedelta(seconds=rng.random() * 12 * 3600)
        channel = rng.choices(_SCALE_CHANNELS, weights=_SCALE_CHANNEL_WEIGHTS)[0]
        if channel in (Channel.PHONE, Channel.IN_PERSON):
            minutes = rng.expovariate(1 / 1.2)
        else:
            minutes = rng.lognormvariate(math.log(12), 0.9)
        responded = opened + dt.timedelta(minutes=minutes * profile.response)
        is_fcr = rng.random() < profile.fcr
        is_escalated = not is_fcr and rng.random() < 0.2
        hours = 0.15 if is_fcr else rng.lognormvariate(math.log(5 * profile.response), 0.9)
        resolved = responded + dt.timedelta(hours=hours)
        due = done = None
        if not is_fcr and rng.random() < 0.4:
            due = resolved.astimezone(self.zone).date() + dt.timedelta(days=1)
            if rng.random() < profile.discipline:
                done = dt.datetime.combine(due, dt.time(10), tzinfo=self.zone) + dt.timedelta(
                    minutes=rng.randrange(420)
                )
        if opened > self.now:
            return None, resolved
        resolved_at = resolved if resolved <= self.now else None
        return Interaction(
            customer=self.customers[rng.randrange(len(self.customers))],
            employee=agent,
            channel=channel,
            subject="Customer request",
            opened_at=opened,
            first_response_at=responded if responded <= self.now else None,
            resolved_at=resolved_at,
            is_first_contact_resolution=is_fcr and resolved_at is not None,
            is_escalated=is_escalated,
            follow_up_due=due,
            follow_up_done_at=done if done is not None and done <= self.now else None,
        ), resolved

    def response_draw(self, row: Interaction, resolved: dt.datetime, quality: float) -> None:
        rng = self.rng
        submitted = resolved + dt.timedelta(hours=rng.uniform(0.1, 48))
        csat = int(_clamp(round(4.0 + 0.55 * quality + rng.gauss(0, 0.85)), 1, 5))
        nps = int(_clamp(round(csat * 2 - 0.3 + rng.gauss(0, 1.3)), 0, 10))
        has_nps = rng.random() < 0.85
        if submitted <= self.now and not row.customer.has_opted_out_of_surveys:
            self.pending[SurveyResponse].append(
                SurveyResponse(
                    interaction=row,
                    csat=csat,
                    nps=nps if has_nps else None,
                    language=row.customer.language,
                    submitted_at=submitted,
                )
            )

    def review_draw(
        self, row: Interaction, resolved: dt.datetime, quality: float, lead: Employee
    ) -> None:
        rng = self.rng
        published = resolved + dt.timedelta(hours=rng.uniform(20, 72))
        ratings = [
            QARating(
                criterion=criterion,
                rating=None
                if criterion.is_critical and not row.is_escalated
                else int(_clamp(round(rng.gauss(2.6 + 0.7 * quality, 0.75)), 0, 4)),
            )
            for criterion in self.criteria
        ]
        if row.resolved_at is None:
            return
        review = QAReview(interaction=row, reviewer=lead, version=self.version)
        if published <= self.now:
            review.status = ReviewStatus.PUBLISHED
            review.published_at = review.scored_at = published
            review.total = quantize(
                qa_review_total(
                    ratings=[
                        CriterionRating(
                            weight=criterion.weight,
                            rating=rating.rating,
                            is_critical=criterion.is_critical,
                        )
                        for criterion, rating in zip(self.criteria, ratings, strict=True)
                    ]
                )
            )
        for rating in ratings:
            rating.review = review
        self.pending[QAReview].append(review)
        self.pending[QARating] += ratings

    def flush(self) -> None:
        """Insert the pending rows, parents first, so each child picks up its parent's id."""
        for model, key in (
            (Interaction, "interactions"),
            (SurveyResponse, "survey_responses"),
            (QAReview, "qa_reviews"),
            (QARating, "qa_ratings"),
        ):
            rows = self.pending[model]
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            self.counts[key] += len(rows)
            rows.clear()
