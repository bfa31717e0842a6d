"""Tests of sdcrawl.classify: the five reference articles, realistic negatives, new positives.

The seed texts below are copies of seeds/*.txt (the shared reference articles), with the
widget and metadata lines removed as the seeds README describes: iecava's header
('Iecavas novads Seko: ...'), its footer ('Lapas informācija atjaunota: ...') and Twitter
widget, rezeknesnovads' 'Click to listen highlighted text!', and the date / category lines
under the titles (those are the article's `published` / `category`, not its body).  Tests never
read files: a fresh clone must be able to run them.
"""

import dataclasses
import json

import pytest

from sdcrawl.classify import PROGRAMMES, TOPICS, Classification, _lemma, classify


# ============================================================================================
# Seed texts
# ============================================================================================
STOPINI_TITLE = 'Stopiņu novada Sociālā dienesta darbinieki pilnveido savas zināšanas, piedaloties dažādos projektos'

STOPINI_BODY = (
    'Četri sociālie darbinieki šā gada vasarā piedalījās ESF projektā. Mācību kursu „Projektu '
    'vadība” un „Starptautisko partneru piesaiste un kopīgo projektu izstrāde” ietvaros tika '
    'apgūtas zināšanas par projektu rakstīšanu un realizēšanu, kā arī partneru\xa0piesaistes '
    'stratēģijām.\xa0Viens mācību\xa0kurss noritēja angļu valodā. Pateicoties dalībai augstākminētajos '
    'mācību kursos,\xa0Stopiņu novada domes Sociālā dienesta darbinieki sagatavoja un iesniedza '
    'jaunu un inovatīvu projekta pieteikumu „Interaktīvā kabineta labiekārtošana Stopiņu novada '
    'iedzīvotājiem sociālās funkcionēšanas uzlabošanai”.\n'
    '\n'
    'Viens no sociālajiem darbiniekiem, kas brīvi pārvalda sešvalodas piedalās starptutiskā '
    'projektā - „Intercultural Learning Against Discrimination” (Rustavi, Gruzija). Apmācības '
    'organizē “Youth for the World”. Māčibu mērķis ir\xa0veikt apmācības par profesionālo '
    'nediskriminācijas praksi darbā ar marginalizētām grupām vietējā un starptautiskajā līmenī. '
    'Apmācībās pārstāvētās dalībvalstis – Rumānija, Polija, Armēnija, Grieķija, Baltkrievija, '
    'Moldāva, Gruzija, Ukraina, Vācija un Latvija.\xa0Rezultātā dalībniekiem tiks uzlabotas '
    'nediskriminācijas prasmes darbā ar dažādām mērķa grupām, kā arī veicinās solidaritātes '
    'principu darbā ar šīm mērķa grupām.\n'
    '\n'
    'Sociālā dienesta darbiniece darbam ar ģimenēm un bērniem no 2011. gada septembra piedalās '
    'projektā un gūst vērtīgas zināšanas, kuras nepieciešams pielietot praksē “Sociālais darbs ar '
    'vardarbībā cietušiem bērniem un viņu ģimenēm/bērna kā cietušā aizsardzība un '
    'sociālpsiholoģiskā palīdzība,” kas vēl turpināsies līdz 2013.gada maijam.\n'
    '\n'
    'Divas sociālās darbinieces no 2012.gada 17.oktobra līdz 2013.gada 16. janvārim mācās centrā '
    '“Dardedze,” psiholoģes un sociālā darbinieka vadībā – atbalsta un informatīvo grupu vadīšanā '
    'vecākiem, ar mērķi iesaistīt vecākus izglītošojā apmācību kursā – “Bez pēriena. Kā ar '
    'mīlestību un cieņu noteikt bērnam robežas.” Apmācību izmaksas tiek segtas no Eiropas '
    'Komisijas Daphne III programmas finansēta projekta “Māja bez vardarbības ikvienam bērnam” un '
    'OAK fonda finansēta projekta “Bērnība bez vararbības - labāka bērnu tiesību aizsardzības '
    'sistēma Austrumeiropas valstīs”\n'
    '\n'
    'Trīs sociālie darbinieki šobrīd izmanto iespēju piedalīties ESF aktivitātē -\xa0 “Veselības '
    'aprūpes un veicināšnas procesā iesaistīto institūciju personāla kompetences, prasmju un '
    'iemaņu līmeņa paaugstināšana”, \xa0kur tālākizglītības programmas ietvaros “Veselības '
    'veicināšana un veselības veicināšanas darba organizācija” apgūst sabiedrības veselības '
    'teorētiskos aspektus, informāciju par galvenajiem politikas plānošanas dokumentiem, '
    'sabiedrības veselības situāciju Latvijā, ar mērķi gūt zināšanas par veselības veicināšanas '
    'darba organizēšanu pašvaldībā un par saskarsmes argumentācijas prasmēm veselības veicināšnas '
    'darba organizēšanā, sadarbībā ar veselības veicināšanas iestādēm.\n'
    '\n'
    'Arī šogad Sociālais dienests ir iesaistījies Latvijas Sarkanā Krusta un Eiropas komisijas '
    'programmā - pārtikas paku realizācijā vistrūcīgākajām personām. Līdz 2012. gada decembrim ir '
    'izsniegtas 1750 pārtikas pakas. Arī 2013.\xa0gadā ir plānots piedalīties pārtikas paku '
    'izsniegšanā vistrūcīgākajiem iedzīvotājiem.\n'
    '\n'
    'I.Lāčgalve, Sociālā dienesta vadītāja'
)

SOCD_TITLE = 'Sociālā dienesta speciālisti piedalās pilotprojektā'

SOCD_BODY = (
    'Daugavpils pilsētas pašvaldības iestāde “Sociālais dienests” (turpmāk – Dienests) pieņem '
    'dalību Labklājības ministrijas īstenotā ESF projekta “Profesionāla sociālā darba attīstība '
    'pašvaldībās” Nr.9.2.1.1/15/I/001 ietvaros realizētā aktivitātē “Metodiku izstrāde pašvaldību '
    'sociālo dienestu sociālajiem darbiniekiem darbam ar klientu mērķa grupām, kā arī sociālo '
    'darbinieku apmācība šo metodiku ieviešanai darbā un pilotprojektu īstenošanā”. Projekts ir '
    'saņēmis finansējumu no Eiropas Sociālā fonda. \xa0\n'
    '\n'
    'No16.05.2019. Dienesta Sociālo pakalpojumu nodaļas Sociālo pakalpojumu organizēšanas un '
    'sociālā darba sektora ģimenēm ar bērniem 2 sociālā darba speciālisti piedalās pilotprojektā\xa0 '
    '“Metodikas sociālajam darbam ar vardarbībā cietušām un vardarbību veikušām personām '
    'aprobēšana”\xa0kopā arcietiem 16 pašvaldību sociālo dienestu 28 sociālajiem darbiniekiem – '
    'Aizputes novads, Burtnieku novads, Jaunjelgavas novads, Ķekavas novads, Lielvārdes novads, '
    'Limbažu novads, Lubānas novads, Mazsalacas novads, Ozolnieku novads, Rēzeknes novads, Saldus '
    'novads, Rēzeknes pilsēta, Saulkrastu novads, Siguldas novads, Tukuma novads un Valmiera.\n'
    '\n'
    'Pilotprojekts ilgst 6 mēnešus līdz 2019.gada 31.oktobrim.\n'
    '\n'
    'Tas ietver:\n'
    '\n'
    '• sociālā darbinieka dalību metodikas izstrādātāju organizētās klātienes apmācībās vidēji 88 '
    '– 100 (iespējama 15% novirze) akadēmisko stundu apjomā, tādējādi arī aprobējot klātienes '
    'apmācību programmu;\n'
    '\n'
    '• metodiskā materiāla aprobāciju reālā sociālā darba praksē ar attiecīgo klientu mērķgrupu, '
    't.i., sniedzot sociālā darbinieka profesionālu atbalstu klientiem;\n'
    '\n'
    '• metodikas izstrādātāju, nepieciešamības gadījumā, nodrošināts atbalsts sociālajiem '
    'darbiniekiem metodiskā materiāla un klātienes apmācību programmas aprobēšanai, izmantojot '
    'dažādas metodes, piemēram, individuālu konsultāciju veidā, t.sk. iespējams, metodikas '
    'izstrādātājam piedaloties sociālā darbinieka un klienta tikšanās reizē; atbalsta grupu '
    'veidā, t.sk. iespējams, metodikas izstrādātājam un sociālajiem darbiniekiem esot '
    '“novērotāja” statusā laikā, kad kolēģis (cits sociālais darbinieks) konsultē klientu;\n'
    '\n'
    '• sociālo darbinieku atgriezenisko saiti, izmantojot dažādas metodes, piemēram, fokusgrupas '
    'tikšanās, metodikas izstrādātājiem gan par metodisko materiālu, gan par klātienes apmācību '
    'programmu, attiecīgo materiālu pilnveidošanai.\n'
    '\n'
    '2019.gada 16. un 17.maijā pilotprojektā iesaistītie sociāla darba speciālisti piedalījās '
    'klātienes apmācībās, kuru mērķis ir paaugstināt sociālā dienesta darba efektivitāti, '
    'pilnveidojot sociālo darbinieku profesionalitāti un attīstot kompetenci darbam ar vardarbībā '
    'cietušām un vardarbību veikušām personām.\n'
    '\n'
    'Tādas apmācības tiks organizētas 1x mēnesī pa divām dienām pēc kārtas. Mācību norises vieta: '
    'Nodibinājums “Centrs Dardedze”, Cieceres iela 3a, Rīga.\n'
    '\n'
    'Kā rezultātā, izstrādātā metodika tiks adaptēta pašvaldības sociālā dienesta ikdienas darbā '
    'un pēc pilotprojekta nobeiguma tiks ieviesta visā Latvijā.'
)

IECAVA_TITLE = 'Projektā «Sociālais atbalsts» tiek uzlabota sociālo pakalpojumu kvalitāte'

IECAVA_BODY = (
    'Pateicoties apstiprinātajām projekta „Sociālais atbalsts" izmaiņām Iecavas novada dome ir '
    'iegādājusies papildus nepieciešamo aprīkojumu, lai uzlabotu esošos sociālo pakalpojumu '
    'kvalitāti. Ir iegādāti higiēnas palīglīdzekļi cilvēkiem ar īslaicīgiem vai ilglaicīgiem '
    'kustību traucējumiem. Šie palīglīdzekļi būs papildinājums Iecavas pašvaldības iestādes '
    '„Iecavas novada Sociālais dienests" jau esošajam aprīkojumam. Projekta ietvaros tiks '
    'aprīkotas krīzes istabiņas, kas drīzumā būs pieejamas iedzīvotājiem. Lai uzlabotu Sociālā '
    'dienesta sniegtos mājas aprūpes pakalpojumus, dienesta vajadzībām ir iegādāta navigācijas '
    'sistēma.\n'
    '\n'
    '19.aprīlī, Saulaines Sociālā centra telpās, Saulainē, Rundāles pagastā, Rundāles novadā '
    'notika partneru tikšanās projekta „Psihosociālā darba uzlabošana, veidojot sadarbību starp '
    'Sociālajiem dienestiem" („Sociālais atbalsts") ietvaros. Projektā iesaistīti Rundāles, '
    'Iecavas (Latvija) un Pakrojas (Lietuva) pašvaldību sociālie darbinieki. Tikšanās laikā '
    'projekta vadības grupa pārrunās jau realizētās aktivitātes un plānos turpmākās.\n'
    '\n'
    'Šā gada jūlijā projekta dalībnieku pieredzi apkopos un prezentēs projekta noslēguma '
    'konferencē. Tāpat konferences laikā prezentēs publicētās vadlīnijas sociālajiem '
    'darbiniekiem, kurā apkopotas projekta dalībnieku jaunapgūtās zināšanas par inovatīvu '
    'psihosociālā darba metodiku. Vadlīnijas būs elektroniski pieejamas jebkuram interesentam.\n'
    '\n'
    'Kopš projekta uzsākšanas 2012.gada 1.februārī, līdz šim projekta partneru Sociālo dienestu '
    'darbinieki (20 cilv.) vairākkārt pulcējušies gan Rundālē un Iecavā, Latvijā un Pakrojā, '
    'Lietuvā, lai dalītos pieredzē un iepazītos ar partneru pašvaldību organizēto darbu sociālajā '
    'sfērā. Pieredzes apmaiņas dalībnieki apmeklējuši dažādas Rundāles, Iecavas, Latvijā un '
    'Pakrojas, Lietuvā sociālās un aprūpes iestādes. Pagājušā gada augustā un septembrī projektā '
    'iesaistītie organizējuši vasaras skolu sociālā riska personām. Tāpat projekta ietvaros '
    'psihoterapeits un pārmaiņu treneris Arturs Šulcs vadījis virkni semināru, piemēram, Pārmaiņu '
    'vadīšana izmantojot darbas resursus darbā ar sociālā riska personām; Darbs ar pārnesi, '
    'zaudējumiem; Ģimenes sistēmas analīze. Helingera metode u.c. Savukārt novada sociālā riska '
    'grupu pārstāvjiem, jau gandrīz gadu ir pieejamas individuālas psihoterapeita konsultācijas.\n'
    '\n'
    'Jau iepriekš ziņots, ka Iecavas novada dome sadarbībā ar Rundāles novada domi (vadošais '
    'partneris) un Pakrojas rajona pašvaldību (Lietuva) īsteno Latvijas - Lietuvas pārrobežu '
    'sadarbības programmas 2007 - 2013 ietvaros apstiprinātu projektu „Psihosociālā darba '
    'uzlabošana, veidojot sadarbību starp Sociālajiem dienestiem". Projekta galvenais mērķis ir '
    'uzlabot psihosociālo darbu ar sociālā riska personām, attīstot sadarbību starp projektā '
    'iesaistīto partnerpašvaldību Sociālajiem dienestiem. Tā ietvaros tiek veicināta sociālo '
    'darbinieku sadarbība un pieredzes apmaiņa, tādējādi uzlabojot esošo sociālo pakalpojumu '
    'kvalitāti un attīstot jaunus pakalpojumus.\n'
    '\n'
    'Kopumā projekta ietvaros līdz 2013.gada 31.jūlijam vēl tiks aprīkotas telpas sociālajās '
    'iestādēs, realizēti arī informatīvie pasākumi - uzlabota mājas lapa un izdots informatīvais '
    'buklets par iespējām saņemt sociālo palīdzību.\n'
    '\n'
    'Plānotajām projekta aktivitātēm paredzētais budžets visiem partneriem kopā ir 214 553 eiro '
    '(150 787,84 lati), kur 85 % finansējumu nodrošina ERAF. Iecavas novada domes plānotajām '
    'aktivitātēm paredzēts 31 625 eiro liels finansējums (22\xa0226,17 lati).\n'
    '\n'
    'Ineta Bramane\n'
    'projektu vadītāja'
)

LM_TITLE = 'Noslēgusies vasaras skola sociālajiem darbiniekiem darbam ģimenēm ar bērniem'

LM_BODY = (
    'Labklājības ministrijas projekta “Profesionāla un mūsdienīga sociālā darba attīstība” '
    'ietvaros no 27. līdz 29. septembrim Talsu rajona Strazdē notika vasaras skola “Sociālais '
    'darbs ģimenēm ar bērniem: metodikas satura un ieviešanas starpnovērtēšana” sociālo dienestu '
    'sociālajiem darbiniekiem darbam ģimenēm ar bērniem.\n'
    '\n'
    'Vasaras skolas dalībnieki gan individuāli, gan grupās izdzīvoja, izjuta un pārrunāja savus '
    'profesionālos un individuālos mērķus, profesionālās kopienas identitāti. Liela daļa laika '
    'bija veltīta metodikas labākas ieviešanas un īstenošanas pašvaldību sociālajos dienestos '
    'modelēšanai.\n'
    '\n'
    'Darba grupās tika skaidrots, kādi apstākļi, resursi un regulējums būtu nepieciešams '
    'pašvaldību un valsts līmenī, lai novērstu problēmas, ar kurām viņi saskaras praksē, un '
    'labāk, efektīvāk sniegtu klientam nepieciešamo atbalstu un palīdzību. Izskanēja aicinājums '
    'valsts līmenī turpināt metožu attīstību un apkopošanu, ētiskas prakses piemēru apkopojumu, '
    'nodrošināt regulāru sociālo darbinieku ģimenēm ar bērniem kompetenču uzturēšanu mācību '
    'veidā. Īpaši svarīga ir sociālo pakalpojumu attīstība ģimenēm ar bērniem visās pašvaldībās '
    'un šo pakalpīgumu pieejamība. Izskanēja viedoklis, ka nepieciešams paaugstināt atalgojumu '
    'sociālajiem darbiniekam ģimenēm ar bērniem. Svarīgi šo specializāciju mācīt arī augstskolās. '
    'Bērna tiesību aizsardzības sistēmas pilnveides ietvaros svarīgi spēcināt, izglītot sociālo '
    'dienestu partnerus, kuri darbojas ģimeņu ar bērniem atbalsta starpinstitucionālajā sistēmā.\n'
    '\n'
    'Vasaras skola\xa0 tika organizēta Eiropas Savienības kohēzijas politikas programmas 2021.-2027. '
    'gadam Eiropas Sociālā fonda Plus 4.3.5.4. pasākuma projekta “Profesionāla un mūsdienīga '
    'sociālā darba attīstība” ietvaros.\n'
    '\n'
    'Projekta “Profesionāla un mūsdienīga sociālā darba attīstība” mērķis ir uzlabot sociālā '
    'darba kā\xa0 profesijas un cilvēkzinātnes nozares kvalitāti un sekmēt cilvēku aktuālām '
    'vajadzībām atbilstošu sociālo pakalpojumu pieejamību, ieguldot sociālajā jomā strādājošo '
    'speciālistu profesionālajā pilnveidē, kā arī uzlabojot sociāla darba studiju kvalitāti.\n'
    '\n'
    'Informāciju sagatavoja:\n'
    '\n'
    'Liesma Ose\n'
    '\n'
    'LM Sociālā darba un sociālās palīdzības politikas departamenta projekta “Profesionāla un '
    'mūsdienīga sociālā darba attīstība” vecākā eksperte,'
)

REZEKNESNOVADS_TITLE = 'Rēzeknes novada sociālie darbinieki piedalās Erasmus + projektā'

REZEKNESNOVADS_BODY = (
    'Bailes, stress, nedrošība un neskaidrība – tās ir tikai dažas no lietām, ar ko ikdienas '
    'darbā saskaras sociālie darbinieki, strādājot ar sociāli neaizsargātām iedzīvotāju grupām- '
    'bēgļiem, ģimenēm, kurās ir bērni ar īpašām vajadzībām, kā arī ar sociālā riska ģimenēm.\n'
    '\n'
    'Lai palīdzētu sociālajā jomā strādājošajiem emocionāli “nesadegt”, palīdzot citiem, Rēzeknes '
    'novada pašvaldības Sociālais dienests kopā ar \xa0novada biedrību “Viedokļu līderu skola”, '
    'Latvijas Pašvaldību savienību, kā arī partneriem no Lietuvas un Beļģijas uzsāk Erasmus + '
    'projektu “Emocionālās labbūtības un veselības uzlabošana speciālistiem un NVO, kas strādā ar '
    'neaizsargātām sociālām grupām Latvijā, Lietuvā un Beļģijā”. Projekta norises laiks ir no '
    '2023. gada decembra līdz 2024. gada oktobrim.\n'
    '\n'
    'Projekta pirmās aktivitātes notiks jau februārī, kad Rēzeknes novada sociālie darbinieki\xa0 '
    'apmeklēs Kauņu, lai\xa0 iepazītos ar labās prakses piemēriem, ko šajā pilsētā realizē biedrība '
    '“Vaikų ir jaunimo visapusiško lavinimo centras” (VLC). Biedrībai uzkrāta nopietna zināšanu '
    'bagāža,\xa0 ilgstoši strādājot ar sarežģītiem klientiem, tāpēc viņu organizētie semināri būs '
    'interesanti un noderīgi visiem\xa0 dalībniekiem.\n'
    '\n'
    'Savukārt aprīlī Latvijas un Lietuvas sociālās jomas speciālisti apmeklēs Briseli, kur '
    'sadarbībā ar Latvijas Pašvaldību savienības pārstāvniecību Briselē iepazīsies ar kolēģu '
    'darbu Beļģijā.\n'
    '\n'
    'Jūnijā Lietuvas partneri atbrauks uz Rēzeknes novadu un iepazīsies ar Sociāla dienesta un '
    'nevalstisko organizāciju pieredzi, strādājot ar sociālā riska ģimenēm un Ukrainas bēgļiem.\n'
    '\n'
    'Projekta nobeigumā, oktobrī, Latvijas Pašvaldību savienības organizētā pasākumā, arī citu '
    'Latvijas pašvaldību sociālie darbinieki tiks iepazīstināti ar projektā iegūtajām atziņām.\n'
    '\n'
    'Informāciju sagatavoja\n'
    'Inta Rimšāne\n'
    'Rēzeknes novada pašvaldības ārējo sakaru organizatore\n'
    '\n'
    'Uzziņai:\n'
    'Erasmus+projektu (Nr. 2023-1-LV01-KA210-ADU-000164014) “Developing the approaches of '
    'emotional well-being and mental health for specialists and NGOs working with vulnerable '
    'social groups in Latvia, Lithuania and Belgium”finansē Eiropas Savienība. Tomēr paustie '
    'uzskati un viedokļi ir tikai autora(-u) uzskati un viedokļi un ne vienmēr atspoguļo Eiropas '
    'Savienības vai Valsts izglītības attīstības aģentūras uzskatus un viedokļus. Ne Eiropas '
    'Savienību, ne piešķīrēju iestādi nevar saukt pie atbildības par tiem.'
)



# ============================================================================================
# The five reference articles
# ============================================================================================
SEEDS = {
    "stopini": (STOPINI_TITLE, STOPINI_BODY),
    "socd": (SOCD_TITLE, SOCD_BODY),
    "iecava": (IECAVA_TITLE, IECAVA_BODY),
    "lm": (LM_TITLE, LM_BODY),
    "rezeknesnovads": (REZEKNESNOVADS_TITLE, REZEKNESNOVADS_BODY),
}

SEED_EXPECTED = {
    "stopini": dict(
        topics=["training", "project"],
        programmes=["ESF", "Daphne III"],
        project_ids=[],
        evidence={
            "training": ["Mācību kursu", "mācību\xa0kurss", "mācību kursos", "Apmācības", "Māčibu",
                         "apmācības", "Apmācībās", "mācās", "apmācību kursā", "Apmācību",
                         "tālākizglītības"],
            "project": ["projektos", "projektā", "Projektu", "projektu", "projekta"],
            "social": ["Sociālā dienesta", "sociālie darbinieki", "sociālajiem darbiniekiem",
                       "Sociālais darbs", "sociālās darbinieces", "sociālā darbinieka",
                       "Sociālais dienests"],
            "programmes": ["ESF", "Daphne III"],
            "project_ids": [],
        },
    ),
    "socd": dict(
        topics=["training", "project"],
        programmes=["ESF"],
        project_ids=["9.2.1.1/15/I/001"],
        evidence={
            "training": ["apmācība", "apmācībās", "apmācību", "apmācības", "Mācību"],
            "project": ["pilotprojektā", "projekta", "pilotprojektu", "Projekts", "Pilotprojekts",
                        "pilotprojekta"],
            "social": ["Sociālā dienesta", "Sociālais dienests", "Labklājības ministrijas",
                       "sociālā darba", "sociālo dienestu", "sociālajiem darbiniekiem",
                       "sociālo darbinieku", "Sociālo pakalpojumu", "sociālajam darbam",
                       "sociālā darbinieka", "sociālais darbinieks", "sociāla darba",
                       "sociālā dienesta"],
            "programmes": ["ESF", "Eiropas Sociālā fonda"],
            "project_ids": ["9.2.1.1/15/I/001"],
        },
    ),
    "iecava": dict(
        topics=["training", "project"],
        programmes=["ERAF", "Interreg Latvia–Lithuania"],
        project_ids=[],
        evidence={
            "training": ["konferencē", "konferences", "dalītos pieredzē", "Pieredzes apmaiņas",
                         "vasaras skolu", "semināru", "pieredzes apmaiņa"],
            "project": ["Projektā", "projekta", "Projekta", "projektā", "projektu"],
            "social": ["sociālo pakalpojumu", "Sociālais dienests", "Sociālā dienesta",
                       "Sociālajiem dienestiem", "sociālie darbinieki", "sociālajiem darbiniekiem",
                       "Sociālo dienestu", "sociālā riska", "sociālo darbinieku",
                       "sociālo palīdzību"],
            "programmes": ["Latvijas - Lietuvas", "ERAF"],
            "project_ids": [],
        },
    ),
    "lm": dict(
        topics=["training", "project"],
        programmes=["ESF+"],
        project_ids=[],
        evidence={
            "training": ["vasaras skola", "Vasaras skolas", "mācību", "izglītot", "Vasaras skola",
                         "profesionālajā pilnveidē"],
            "project": ["projekta", "Projekta"],
            "social": ["sociālajiem darbiniekiem", "Labklājības ministrijas", "sociālā darba",
                       "Sociālais darbs", "sociālo dienestu", "sociālajos dienestos",
                       "sociālo darbinieku", "sociālo pakalpojumu", "sociālajiem darbiniekam",
                       "sociāla darba", "Sociālā darba", "sociālās palīdzības"],
            "programmes": ["Eiropas Sociālā fonda Plus"],
            "project_ids": [],
        },
    ),
    "rezeknesnovads": dict(
        topics=["training", "project"],
        programmes=["Erasmus+"],
        project_ids=["2023-1-LV01-KA210-ADU-000164014"],
        evidence={
            "training": ["labās prakses", "semināri"],
            "project": ["projektā", "projektu", "Projekta"],
            "social": ["sociālie darbinieki", "sociālā riska", "Sociālais dienests",
                       "Sociāla dienesta"],
            "programmes": ["Erasmus +", "Erasmus+", "2023-1-LV01-KA210-ADU-000164014"],
            "project_ids": ["2023-1-LV01-KA210-ADU-000164014"],
        },
    ),
}


@pytest.mark.parametrize("name", list(SEEDS))
def test_seed(name):
    title, body = SEEDS[name]
    expected = SEED_EXPECTED[name]
    r = classify(title, body)
    assert r.relevant is True
    assert r.social is True
    assert r.topics == expected["topics"]
    assert r.programmes == expected["programmes"]
    assert r.project_ids == expected["project_ids"]
    assert r.evidence == expected["evidence"]
    assert r.reasons[-1] == (
        "relevant: training+project with social-service context (together in title; "
        f"{_together_count(name)} unit(s))"
    )


def _together_count(name):
    return {"stopini": 7, "socd": 8, "iecava": 12, "lm": 7, "rezeknesnovads": 4}[name]


def test_seed_reasons_exact():
    r = classify(STOPINI_TITLE, STOPINI_BODY)
    assert r.reasons == [
        "training: 'Mācību kursu', 'mācību\xa0kurss', 'mācību kursos', … (body ×9)",
        "project: 'projektos', 'projektā', 'Projektu', … (title, body ×6)",
        "social: 'Sociālā dienesta', 'sociālie darbinieki', 'sociālajiem darbiniekiem', … "
        "(title, body ×8)",
        "programmes: ESF ('ESF'), Daphne III ('Daphne III')",
        "relevant: training+project with social-service context (together in title; 7 unit(s))",
    ]
    r = classify(REZEKNESNOVADS_TITLE, REZEKNESNOVADS_BODY)
    assert r.reasons == [
        "training: 'labās prakses', 'semināri' (body ×2)",
        "project: 'projektā', 'projektu', 'Projekta' (title, body ×5)",
        "social: 'sociālie darbinieki', 'sociālā riska', 'Sociālais dienests', … (title, body ×5)",
        "programmes: Erasmus+ ('Erasmus +', 'Erasmus+', '2023-1-LV01-KA210-ADU-000164014')",
        "project ids: 2023-1-LV01-KA210-ADU-000164014",
        "relevant: training+project with social-service context (together in title; 4 unit(s))",
    ]


def test_seed_with_metadata_and_widget_lines_left_in_body():
    """The page text as captured (date line, category line, TTS widget) changes nothing but
    adds the 'Projekti' category line as one more project hit."""
    raw_body = "02.01.2024\n\nProjekti\n\n" + REZEKNESNOVADS_BODY + "\n\nClick to listen highlighted text!"
    clean = classify(REZEKNESNOVADS_TITLE, REZEKNESNOVADS_BODY)
    raw = classify(REZEKNESNOVADS_TITLE, raw_body)
    assert (raw.topics, raw.programmes, raw.project_ids, raw.social, raw.relevant) == (
        clean.topics, clean.programmes, clean.project_ids, clean.social, clean.relevant)
    assert raw.evidence["project"] == ["projektā", "Projekti", "projektu", "Projekta"]
    assert raw.reasons[1] == "project: 'projektā', 'Projekti', 'projektu', … (title, body ×6)"


def test_socd_without_title_is_still_relevant():
    r = classify("", SOCD_BODY)
    assert (r.topics, r.social, r.relevant) == (["training", "project"], True, True)


# ============================================================================================
# Negatives: real kinds of pages from the same sites that must stay out of the feed
# ============================================================================================
BROWNFIELD = (
    "Projekta partneri iepazinās ar degradēto teritoriju atjaunošanu Šauļos",
    "Jelgavas novada pašvaldība kopā ar partneriem no Šauļiem īsteno Interreg V-A "
    "Latvijas–Lietuvas pārrobežu sadarbības programmas projektu “Degradēto teritoriju atjaunošana "
    "pierobežas pilsētās” (LLI-525). Oktobra sākumā projekta partneri devās mācību vizītē uz "
    "Šauļiem, kur iepazinās ar bijušo rūpnīcu teritoriju pārveidi par uzņēmējdarbības parkiem. "
    "Vizītes laikā pašvaldību speciālisti apmeklēja trīs atjaunotus objektus un pārrunāja, kā "
    "piesaistīt investorus.\n\n"
    "Projekta mērķis ir veicināt pierobežas reģiona ekonomisko un sociālo attīstību, atgriežot "
    "saimnieciskajā apritē pamestas teritorijas. Projekta kopējās izmaksas ir 1,2 miljoni eiro, "
    "no kuriem 85 % finansē Eiropas Reģionālās attīstības fonds.",
)

COMMITTEE_AGENDA = (
    "Sociālo jautājumu komitejas sēdes darba kārtība",
    "Sociālo jautājumu komitejas sēde notiks 14. martā plkst. 10.00 novada domes zālē. "
    "Darba kārtībā:\n"
    "1. Par saistošo noteikumu projektu “Par sociālās palīdzības pabalstiem Ogres novadā”.\n"
    "2. Par lēmuma projektu “Par maksas pakalpojumu cenrāža apstiprināšanu”.\n"
    "3. Par Investīciju un projektu plāna 2024.–2026. gadam aktualizāciju.\n"
    "4. Par nolikuma projektu “Par dzīvokļu komisiju”.\n"
    "Ar lēmumu projektiem var iepazīties pašvaldības tīmekļvietnē.",
)

CITY_DEBATE = (
    "Deputāti strīdas par naudu sociālajiem projektiem",
    "Rīgas domes Finanšu komitejas sēdē deputāti vairāk nekā divas stundas debatēja par to, cik "
    "daudz naudas nākamgad ieguldīt sociālajos projektos. Opozīcijas deputāti aicināja palielināt "
    "finansējumu biedrību sociālajiem projektiem, ko pašvaldība atbalsta ikgadējā konkursā. "
    "Pozīcija iebilda, ka vispirms jāpabeidz iesāktie ielu un skolu remonti. Pērn konkursā "
    "atbalstu saņēma 42 projekti, kopumā par 380 000 eiro. Galīgais lēmums tiks pieņemts domes "
    "sēdē 20. decembrī.",
)

ERAF_MOVE = (
    "Sociālais dienests pārceļas uz atjaunoto ēku Skolas ielā",
    "No 2. maija novada Sociālais dienests klientus pieņems atjaunotajā ēkā Skolas ielā 12. Ēka "
    "pārbūvēta Eiropas Reģionālās attīstības fonda (ERAF) līdzfinansēta projekta ietvaros, tajā "
    "ierīkots lifts un pielāgotas telpas cilvēkiem ar invaliditāti. Pārcelšanās dēļ no 26. līdz "
    "30. aprīlim dienests apmeklētājus nepieņems. Steidzamos gadījumos lūdzam zvanīt pa tālruni "
    "65012345. Dienesta darba laiks nemainās: pirmdienās no 8.00 līdz 18.00, pārējās darba "
    "dienās no 8.00 līdz 17.00.",
)

ANNIVERSARY = (
    "Sociālā dienesta vadītājai Ilzei Kalniņai – 60",
    "Šodien savu 60. dzimšanas dienu svin ilggadējā novada Sociālā dienesta vadītāja Ilze "
    "Kalniņa. Ilze dzimusi Madonā, pēc vidusskolas beigšanas turpināja mācības Rīgas "
    "Pedagoģijas un izglītības vadības akadēmijā un vēlāk ieguva maģistra grādu sociālajā darbā. "
    "Sociālajā dienestā viņa strādā kopš 1996. gada, un šajos gados ir apmeklējusi neskaitāmus "
    "kursus un seminārus. Arī tagad jubilāre neapstājas un turpina mācības doktorantūrā. "
    "Sirsnīgi sveicam un novēlam stipru veselību un izturību!",
)

WORKERS_DAY = (
    "Sveicam Sociālo darbinieku dienā!",
    "12. novembrī Latvijā atzīmē Sociālo darbinieku dienu. Novada pašvaldība sirsnīgi sveic "
    "visus sociālā dienesta darbiniekus, aprūpētājus un asistentus. Paldies par jūsu sirds "
    "siltumu, pacietību un ikdienas darbu ar tiem, kuriem palīdzība nepieciešama visvairāk. "
    "Paldies arī par iesaisti dažādos projektos un pasākumos, kas padara mūsu novadu "
    "iekļaujošāku. Lai jums pietiek spēka, iedvesmas un atbalsta no kolēģiem un tuviniekiem!",
)

HOLIDAY_HOURS = (
    "Sociālā dienesta darba laiks svētku dienās",
    "Informējam, ka Ziemassvētku un Jaungada brīvdienās Sociālais dienests strādās pēc mainīta "
    "darba laika. 23. decembrī dienests strādās no 8.00 līdz 13.00, bet 24., 25. un "
    "26. decembrī būs slēgts. 31. decembrī apmeklētājus pieņems no 8.00 līdz 12.00, 1. janvārī "
    "dienests būs slēgts. Krīzes situācijās lūdzam zvanīt uz diennakts tālruni 27000000. "
    "Jautājumos par sociālo palīdzību varat rakstīt arī uz e-pastu socialais.dienests@novads.lv.",
)

CHRISTMAS_PACKAGES = (
    "Sociālais dienests izsniegs Ziemassvētku paciņas bērniem",
    "No 11. līdz 20. decembrim Sociālais dienests izsniegs Ziemassvētku saldumu paciņas bērniem "
    "no trūcīgām un maznodrošinātām ģimenēm. Paciņas var saņemt dienesta telpās Rīgas ielā 5, "
    "uzrādot personu apliecinošu dokumentu. Paciņas sarūpētas ar vietējo uzņēmēju un Latvijas "
    "Sarkanā Krusta atbalstu. Ģimenes, kurām piešķirts trūcīgas vai maznodrošinātas ģimenes "
    "statuss, paciņas saņems arī pa pastu, ja nevar ierasties klātienē.",
)

TOURISM_CONFERENCE = (  # a topic and a social-service term, but never in one sentence
    "Novadā notiks tūrisma konference",
    "27. septembrī kultūras namā notiks konference “Tūrisms pierobežā”, kurā uzņēmēji un "
    "pašvaldību speciālisti spriedīs par viesu piesaisti. Konferences dalībniekus uzrunās novada "
    "domes priekšsēdētājs. Pasākuma laikā kultūras nama mazajā zālē darbosies Sociālā dienesta "
    "konsultāciju punkts senioriem. Ieeja brīva.",
)


def test_negative_brownfield_study_visit():
    r = classify(*BROWNFIELD)
    assert r.relevant is False
    assert r.social is False  # 'sociālo attīstību' is not a social-service term
    assert r.topics == ["project"]  # one 'mācību vizītē' is not enough for training
    assert r.programmes == ["ERAF", "Interreg Latvia–Lithuania"]
    assert r.project_ids == ["LLI-525"]
    assert r.evidence["training"] == ["mācību vizītē"]
    assert r.evidence["social"] == []
    assert r.reasons == [
        "training: 'mācību vizītē' (body ×1) — too weak, not counted",
        "project: 'Projekta', 'projektu', 'projekta' (title, body ×4)",
        "not social: no social-service term",
        "programmes: ERAF ('Eiropas Reģionālās attīstības fonds'), Interreg Latvia–Lithuania "
        "('Interreg V-A Latvijas–Lietuvas', 'LLI-525')",
        "project ids: LLI-525",
        "not relevant: no social-service context",
    ]


def test_negative_committee_agenda():
    r = classify(*COMMITTEE_AGENDA)
    assert r.relevant is False
    assert r.topics == []  # every 'projekts' here is a draft document or the investment plan
    assert r.social is True  # the draft regulations are about 'sociālās palīdzības' benefits
    assert r.evidence["project"] == []
    assert r.reasons == [
        "social: 'sociālās palīdzības' (body ×1)",
        "ignored: 'noteikumu projektu' (draft document, not a project)",
        "ignored: 'lēmuma projektu' (draft document, not a project)",
        "ignored: 'Investīciju un projektu plāna' (investment plan, not a project)",
        "ignored: 'nolikuma projektu' (draft document, not a project)",
        "ignored: 'lēmumu projektiem' (draft document, not a project)",
        "not relevant: no training or project with enough weight",
    ]


def test_negative_city_debate_on_social_projects():
    r = classify(*CITY_DEBATE)
    assert r.relevant is False
    assert r.social is False  # 'sociālajos projektos' is not about social services
    assert r.topics == ["project"]
    assert r.evidence["social"] == []
    assert r.evidence["project"] == ["projektiem", "projektos", "projekti"]
    assert r.reasons == [
        "project: 'projektiem', 'projektos', 'projekti' (title, body ×3)",
        "not social: no social-service term",
        "ignored: 'sociālajiem projektiem' (not social-service context)",
        "ignored: 'sociālajos projektos' (not social-service context)",
        "not relevant: no social-service context",
    ]


def test_negative_eraf_building_move():
    r = classify(*ERAF_MOVE)
    assert r.relevant is False
    assert r.social is True
    assert r.topics == []  # a single 'projekta' in the body does not make a project article
    assert r.programmes == ["ERAF"]
    assert r.evidence["project"] == ["projekta"]
    assert r.reasons == [
        "project: 'projekta' (body ×1) — too weak, not counted",
        "social: 'Sociālais dienests' (title, body ×1)",
        "programmes: ERAF ('Eiropas Reģionālās attīstības fonda', 'ERAF')",
        "not relevant: no training or project with enough weight",
    ]


def test_negative_anniversary_continues_studies():
    r = classify(*ANNIVERSARY)
    assert r.relevant is False
    assert r.social is True
    assert r.topics == []
    # 'turpina mācības' is personal study; 'kursus un seminārus' is one sentence only
    assert r.evidence["training"] == ["kursus", "seminārus"]
    assert r.reasons == [
        "training: 'kursus', 'seminārus' (body ×1) — too weak, not counted",
        "social: 'Sociālā dienesta', 'sociālajā darbā', 'Sociālajā dienestā' (title, body ×3)",
        "ignored: 'turpināja mācības' (personal studies)",
        "ignored: 'turpina mācības' (personal studies)",
        "not relevant: no training or project with enough weight",
    ]


def test_negative_social_workers_day_greetings():
    r = classify(*WORKERS_DAY)
    assert r.relevant is False
    assert r.social is True
    assert r.topics == []
    assert r.reasons == [
        "project: 'projektos' (body ×1) — too weak, not counted",
        "social: 'Sociālo darbinieku', 'sociālā dienesta' (title, body ×2)",
        "not relevant: no training or project with enough weight",
    ]


def test_negative_holiday_opening_hours():
    r = classify(*HOLIDAY_HOURS)
    assert r.relevant is False
    assert (r.social, r.topics) == (True, [])
    assert r.evidence == {
        "training": [],
        "project": [],
        "social": ["Sociālā dienesta", "Sociālais dienests", "sociālo palīdzību"],
        "programmes": [],
        "project_ids": [],
    }
    assert r.reasons[-1] == "not relevant: no training or project with enough weight"


def test_negative_christmas_packages():
    r = classify(*CHRISTMAS_PACKAGES)
    assert r.relevant is False
    assert (r.social, r.topics, r.programmes, r.project_ids) == (True, [], [], [])
    assert r.reasons == [
        "social: 'Sociālais dienests' (title, body ×1)",
        "not relevant: no training or project with enough weight",
    ]


def test_negative_topic_and_social_never_together():
    r = classify(*TOURISM_CONFERENCE)
    assert r.relevant is False
    assert (r.social, r.topics) == (True, ["training"])
    assert r.reasons[-1] == (
        "not relevant: topic and social-service terms never in the same sentence")


# ============================================================================================
# Positives that are not the seeds
# ============================================================================================
SUPERVISION = (
    "Sociālā dienesta darbiniekiem notiek grupu supervīzijas",
    "Lai mazinātu profesionālās izdegšanas risku, novada Sociālā dienesta sociālie darbinieki no "
    "marta līdz jūnijam piedalās grupu supervīzijās. Supervīzijas vada sertificēta supervizore "
    "Anna Liepa. Katrā supervīzijā darbinieki analizē sarežģītus gadījumus no ikdienas darba ar "
    "klientiem. Supervīziju izmaksas sedz pašvaldība.",
)

LATVIA_LITHUANIA = (
    "Latvijas un Lietuvas sociālie darbinieki apgūst darbu ar atkarīgām personām",
    "Bauskas novada Sociālais dienests kopā ar partneriem no Biržiem īsteno Interreg V-A "
    "Latvijas–Lietuvas pārrobežu sadarbības programmas 2014.–2020. gadam projektu LLI-405 "
    "“Atbalsts atkarīgajiem pierobežā”. Projekta ietvaros abu valstu sociālie darbinieki "
    "piedalījās trīs dienu apmācībās Biržos, kur apguva motivējošās intervēšanas metodi. Rudenī "
    "paredzēta pieredzes apmaiņas vizīte uz Bausku, kur partneri iepazīsies ar dienesta atbalsta "
    "grupu darbu. Projektu līdzfinansē Eiropas Reģionālās attīstības fonds.",
)

ESF_PLUS_TRAINING = (
    "Sociālie darbinieki mācās darbā ar senioriem",
    "Valmieras novada Sociālā dienesta speciālisti šoruden piedalās mācību kursā “Sociālais darbs "
    "ar senioriem”, ko organizē Labklājības ministrija. Mācības notiek Eiropas Sociālā fonda "
    "Plus (ESF+) projekta “Profesionāla un mūsdienīga sociālā darba attīstība” ietvaros. Kurss "
    "ilgst 40 akadēmiskās stundas, un to noslēdz gadījuma analīze. Pēc mācībām sociālie "
    "darbinieki saņems profesionālās pilnveides apliecību.",
)

SEMINAR = (
    "Sociālā dienesta darbinieki piedalījās seminārā par vardarbības prevenciju",
    "Šī gada 18. aprīlī Jēkabpils novada Sociālā dienesta sociālie darbinieki piedalījās seminārā "
    "“Vardarbības atpazīšana ģimenēs”. Semināru vadīja biedrības “Centrs Dardedze” psiholoģe. "
    "Dalībnieki uzzināja, kā laikus pamanīt vardarbības pazīmes un kā sadarboties ar bāriņtiesu "
    "un policiju.",
)


def test_positive_supervision():
    r = classify(*SUPERVISION)
    assert (r.relevant, r.social, r.topics) == (True, True, ["training"])
    assert (r.programmes, r.project_ids) == ([], [])
    assert r.evidence["training"] == ["supervīzijas", "supervīzijās", "Supervīzijas",
                                      "supervizore", "supervīzijā", "Supervīziju"]


def test_positive_latvia_lithuania_project():
    r = classify(*LATVIA_LITHUANIA)
    assert (r.relevant, r.social, r.topics) == (True, True, ["training", "project"])
    assert r.programmes == ["ERAF", "Interreg Latvia–Lithuania"]
    assert r.project_ids == ["LLI-405"]
    assert r.evidence["training"] == ["apmācībās", "pieredzes apmaiņas"]
    assert r.evidence["programmes"] == ["Interreg V-A Latvijas–Lietuvas", "LLI-405",
                                        "Eiropas Reģionālās attīstības fonds"]
    assert r.reasons[-1] == ("relevant: training+project with social-service context "
                             "(together in a body sentence; 2 unit(s))")


def test_positive_esf_plus_training():
    r = classify(*ESF_PLUS_TRAINING)
    assert (r.relevant, r.social) == (True, True)
    assert r.topics == ["training"]  # the one 'projekta' does not make it a project article
    assert r.programmes == ["ESF+"]  # not also ESF
    assert r.evidence["programmes"] == ["Eiropas Sociālā fonda Plus", "ESF+"]
    assert r.evidence["training"] == ["mācās", "mācību kursā", "Mācības", "Kurss", "mācībām",
                                      "profesionālās pilnveides"]


def test_positive_seminar():
    r = classify(*SEMINAR)
    assert (r.relevant, r.social, r.topics) == (True, True, ["training"])
    assert r.evidence["training"] == ["seminārā", "Semināru"]
    assert r.reasons[0] == "training: 'seminārā', 'Semināru' (title, body ×2)"


# ============================================================================================
# Rules in isolation
# ============================================================================================
SOCIAL_TITLE = "Sociālā dienesta jaunumi"


@pytest.mark.parametrize(
    "form, lemma",
    [
        ("seminārā", "seminārs"), ("semināru", "seminārs"), ("semināri", "seminārs"),
        ("supervīziju", "supervīzija"), ("supervīzijās", "supervīzija"),
        ("vizītē", "vizīte"), ("pilnveidē", "pilnveide"), ("konferenču", "konference"),
        ("Māčibu", "mācība"), ("apmācībās", "apmācība"), ("kursos", "kurss"),
        ("projektā", "projekts"), ("Projekti", "projekts"), ("pilotprojektā", "pilotprojekts"),
        ("sociālajās", "sociāls"), ("darbinieces", "darbinieks"), ("izglītojas", "izglītoties"),
        ("tehniskais", "tehnisks"), ("profesionālajā", "profesionāls"),
    ],
)
def test_lemmas(form, lemma):
    assert _lemma(form) == lemma


@pytest.mark.parametrize(
    "phrase",
    ["lēmuma projekts", "noteikumu projektu", "nolikuma projekts", "likuma projektu",
     "budžeta projekts", "tehniskais projekts", "līguma projekts", "grozījumu projektu",
     "plāna projekts", "Investīciju un projektu plāns", "lēmumprojekts", "likumprojektu",
     "būvprojekts", "būvprojekta"],
)
def test_non_project_uses(phrase):
    body = (f"Sociālā dienesta vadītāja pārrunāja {phrase} ar kolēģiem. "
            f"Sociālo jautājumu komiteja atbalstīja {phrase}.")
    r = classify(SOCIAL_TITLE, body)
    assert r.evidence["project"] == []
    assert "project" not in r.topics
    assert r.relevant is False


@pytest.mark.parametrize("phrase", ["sociālie tīkli", "sociālās kampaņas", "sociālajos projektos",
                                    "sociālo jautājumu komiteja", "sociāli neaizsargātas grupas"])
def test_not_social(phrase):
    r = classify("Jaunieši apmeklēja semināru",
                 f"Seminārā runāja par {phrase}. Semināra noslēgumā bija diskusija.")
    assert r.social is False
    assert r.topics == ["training"]
    assert r.relevant is False
    assert r.evidence["social"] == []


@pytest.mark.parametrize(
    "phrase, surface",
    [("sociālā dienesta darbinieki", "sociālā dienesta"),
     ("sociālie darbinieki", "sociālie darbinieki"),
     ("sociālās darbinieces", "sociālās darbinieces"),
     ("sociālā darba speciālisti", "sociālā darba"),
     ("sociālo pakalpojumu sniedzēji", "sociālo pakalpojumu"),
     ("sociālās aprūpes centra darbinieki", "sociālās aprūpes"),
     ("sociālās palīdzības nodaļas darbinieki", "sociālās palīdzības"),
     ("sociālās rehabilitācijas speciālisti", "sociālās rehabilitācijas"),
     ("sociālā riska ģimeņu atbalsta speciālisti", "sociālā riska"),
     ("Labklājības ministrijas pārstāvji", "Labklājības ministrijas")],
)
def test_social_terms(phrase, surface):
    r = classify("", f"Seminārā piedalījās {phrase}. Seminārs ilga divas dienas.")
    assert r.social is True
    assert r.evidence["social"] == [surface]
    assert (r.topics, r.relevant) == (["training"], True)


def test_weight_two_hits_in_one_sentence_are_one():
    one = classify("Jaunumi", "Sociālā dienesta darbinieki apmeklēja kursus un seminārus. "
                              "Pēc tam viņi atgriezās darbā.")
    two = classify("Jaunumi", "Sociālā dienesta darbinieki apmeklēja kursus. "
                              "Pēc tam viņi piedalījās seminārā.")
    title = classify("Seminārs sociālajiem darbiniekiem", "Tas notika Rīgā.")
    assert (one.topics, one.relevant) == ([], False)
    assert (two.topics, two.relevant) == (["training"], True)
    assert (title.topics, title.relevant) == (["training"], True)


def test_title_counts_as_a_sentence_for_co_occurrence():
    r = classify("Sociālā dienesta darbinieki piedalās projektā", "Tas ilgs gadu.")
    assert (r.topics, r.social, r.relevant) == (["project"], True, True)
    r = classify("Sociālā dienesta jaunumi", "Novadā sākas projekts. Projekts ilgs gadu.")
    assert (r.topics, r.social, r.relevant) == (["project"], True, False)


def test_training_false_friends():
    body = ("Sociālā dienesta darbiniece turpina mācības universitātē. "
            "Viņa turpina savas mācības arī vasarā. Sākas jaunais mācību gads. "
            "Sociālajam dienestam nopirkti mācību līdzekļi. Mainījies valūtas kurss.")
    r = classify("", body)
    assert r.evidence["training"] == []
    assert r.topics == []
    assert [x for x in r.reasons if x.startswith("ignored")] == [
        "ignored: 'turpina mācības' (personal studies)",
        "ignored: 'turpina savas mācības' (personal studies)",
        "ignored: 'mācību gads' (school vocabulary)",
        "ignored: 'mācību līdzekļi' (school vocabulary)",
        "ignored: 'valūtas kurss' (exchange rate)",
    ]


def test_sentence_split_keeps_initials_and_abbreviations_together():
    r = classify("Jaunumi", "Sociālā dienesta vadītāja A. Bērziņa piedalījās seminārā. "
                            "Seminārs notika Rīgā, Brīvības ielā 5.")
    assert (r.topics, r.social, r.relevant) == (["training"], True, True)
    r = classify("Jaunumi", "Sociālā dienesta vadītāja piedalījās. Seminārs notika Rīgā. "
                            "Vēl viens seminārs notiks maijā.")
    assert (r.topics, r.social, r.relevant) == (["training"], True, False)


def test_decomposed_letters_are_composed_first():
    decomposed_a = "a\u0304"  # 'a' + combining macron, as some pages deliver 'ā'
    title = SEMINAR[0].replace("ā", decomposed_a)
    body = SEMINAR[1].replace("ā", decomposed_a)
    assert classify(title, body) == classify(*SEMINAR)


@pytest.mark.parametrize(
    "text, programmes",
    [
        ("ESF projekts", ["ESF"]),
        ("Eiropas Sociālā fonda (ESF) atbalsts", ["ESF"]),
        ("finansē Eiropas Sociālā fonda līdzekļi", ["ESF"]),
        ("Eiropas Sociālais fonds", ["ESF"]),
        ("ESF+ projekts", ["ESF+"]),
        ("ESF + projekts", ["ESF+"]),
        ("Eiropas Sociālā fonda Plus projekts", ["ESF+"]),
        ("Eiropas Sociālā fonda Plus (ESF+) projekts", ["ESF+"]),
        ("gan ESF, gan ESF+ projekti", ["ESF", "ESF+"]),
        ("ERAF", ["ERAF"]),
        ("Eiropas Reģionālās attīstības fonda projekts", ["ERAF"]),
        ("Erasmus+ projekts", ["Erasmus+"]),
        ("Erasmus + projekts", ["Erasmus+"]),
        ("Erasmus+projektu", ["Erasmus+"]),
        ("Latvijas – Lietuvas pārrobežu sadarbības programma", ["Interreg Latvia–Lithuania"]),
        ("Latvijas-Lietuvas pārrobežu sadarbības programmas", ["Interreg Latvia–Lithuania"]),
        ("Latvijas—Lietuvas pārrobežu sadarbības programmā", ["Interreg Latvia–Lithuania"]),
        ("Latvijas un Lietuvas pārrobežu sadarbības programmas", ["Interreg Latvia–Lithuania"]),
        ("Interreg V-A Latvija–Lietuva programma", ["Interreg Latvia–Lithuania"]),
        ("LATLIT projekts", ["Interreg Latvia–Lithuania"]),
        ("projekts LLI-317", ["Interreg Latvia–Lithuania"]),
        ("ENI programma", ["ENI"]),
        ("Daphne III programma", ["Daphne III"]),
        ("EEZ un Norvēģijas finanšu instrumenta projekts", ["EEA and Norway Grants"]),
        ("Norvēģijas granti", ["EEA and Norway Grants"]),
        ("2023-1-LV01-KA210-ADU-000164014", ["Erasmus+"]),
        # not programmes
        ("Latvijas un Lietuvas sociālās jomas speciālisti", []),
        ("Latvijas–Lietuvas–Baltkrievijas programma", []),
        ("ENIGMA, esf, Erasmus, Daphne", []),
        ("Eiropas Savienības fondi", []),
    ],
)
def test_programmes(text, programmes):
    assert classify("", text).programmes == programmes


def test_programmes_in_canonical_order():
    text = "Daphne III, ENI, Norvēģijas granti, LATLIT, Erasmus+, ERAF, ESF+ un ESF."
    assert classify("", text).programmes == list(PROGRAMMES)


@pytest.mark.parametrize(
    "text, ids",
    [
        ("projekta Nr.9.2.1.1/15/I/001 ietvaros", ["9.2.1.1/15/I/001"]),
        ("projekts Nr. 9.2.1.1/15/I/001.", ["9.2.1.1/15/I/001"]),
        ("(Nr. 2023-1-LV01-KA210-ADU-000164014)", ["2023-1-LV01-KA210-ADU-000164014"]),
        ("projekti LLI-317, LLI-344 un LLI-386.", ["LLI-317", "LLI-344", "LLI-386"]),
        ("Nr. 9.2.2.1/15/I/002 un atkal 9.2.2.1/15/I/002", ["9.2.2.1/15/I/002"]),
        ("Nr. 4.3.5.4/1/24/I/001", ["4.3.5.4/1/24/I/001"]),
        ("Nr. 1DP/1.4.1.2.4/09/IPIA/NVA/001", ["1DP/1.4.1.2.4/09/IPIA/NVA/001"]),
        ("Eiropas Sociālā fonda Plus 4.3.5.4. pasākuma projekts", []),
        ("06/12/2012", []),
        ("2021.-2027. gadam", []),
        ("tālrunis 65012345", []),
    ],
)
def test_project_ids(text, ids):
    assert classify("", text).project_ids == ids


# ============================================================================================
# Interface
# ============================================================================================
def test_interface():
    r = classify(*SEMINAR)
    assert isinstance(r, Classification)
    assert [f.name for f in dataclasses.fields(Classification)] == [
        "topics", "programmes", "project_ids", "social", "relevant", "reasons", "evidence"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.relevant = False  # type: ignore[misc]
    assert list(r.evidence) == ["training", "project", "social", "programmes", "project_ids"]
    assert TOPICS == ("training", "project")
    assert classify(*SEMINAR) == r  # pure: same input, same output


def test_empty_input():
    r = classify("", "")
    assert r == Classification(
        topics=[], programmes=[], project_ids=[], social=False, relevant=False,
        reasons=["not social: no social-service term", "not relevant: no social-service context"],
        evidence={"training": [], "project": [], "social": [], "programmes": [],
                  "project_ids": []},
    )



# ============================================================================================
# Issue 14: the document-level rule, the new vocabulary, the development table
# ============================================================================================
@pytest.mark.parametrize(
    "phrase, surface",
    [("dienas aprūpes centra darbinieki", "dienas aprūpes centra"),
     ("dienas centra vadītāja", "dienas centra"),
     ("krīzes centra psihologi", "krīzes centra"),
     ("grupu dzīvokļu personāls", "grupu dzīvokļu"),
     ("grupu mājas darbinieki", "grupu mājas"),
     ("speciālisti darbam ar personām ar garīga rakstura traucējumiem",
      "garīga rakstura traucējumiem"),
     ("speciālisti darbam ar bērniem ar funkcionāliem traucējumiem", "funkcionāliem traucējumiem"),
     ("ģimenes asistenti", "ģimenes asistenti"),
     ("topošās atbalsta personas", "atbalsta personas"),
     ("sabiedrībā balstītu pakalpojumu sniedzēji", "sabiedrībā balstītu"),
     ("deinstitucionalizācijas koordinatori", "deinstitucionalizācijas"),
     ("aprūpes mājās darbinieki", "aprūpes mājās"),
     ("sociālās iekļaušanas speciālisti", "sociālās iekļaušanas"),
     ("sociālie aprūpētāji", "sociālie aprūpētāji")],
)
def test_new_social_terms(phrase, surface):
    r = classify("", f"Seminārā piedalījās {phrase}. Seminārs ilga divas dienas.")
    assert r.social is True
    assert r.evidence["social"] == [surface]
    assert (r.topics, r.relevant) == (["training"], True)


@pytest.mark.parametrize("phrase", ["bāriņtiesas locekļi", "personas ar invaliditāti",
                                    "aprūpētāji", "bērni ārpusģimenes aprūpē"])
def test_weak_social_terms_alone_are_not_social(phrase):
    r = classify("Kursi", f"Kursos mācījās {phrase}. Kursi ilga divas dienas.")
    assert r.social is False
    assert r.relevant is False
    assert r.evidence["social"] == []


def test_weak_social_term_places_the_context_in_its_sentence():
    r = classify("Jaunumi novadā",
                 "Pašvaldība rīko apmācības bāriņtiesas locekļiem par sarunām ar bērniem. "
                 "Apmācības vadīs psiholoģe.\n\n"
                 "Pieteikties var sociālajā dienestā līdz piektdienai. Tālrunis 64000000.")
    assert r.relevant is True
    assert "bāriņtiesas" in r.evidence["social"]
    assert r.reasons[-1].startswith("relevant: training with social-service context (an orphan")


@pytest.mark.parametrize(
    "title, body",
    [("Mācības", "Dalībnieki bija Ventspils pašvaldības metodiskās sanāksmes vadītāji. "
                 "Metodiskā sanāksme notika Sociālā dienesta zālē."),
     ("Dienas centra darbinieki pilnveido kompetences", "Nodarbības vadīja psihologs."),
     ("Aprūpētāji ceļ kvalifikāciju", "Sociālā dienesta rīkotie kursi ilgst mēnesi."),
     ("Darbinieki apmainījās ar pieredzi", "Ciemos bija Sociālā dienesta kolēģi no Talsiem."),
     ("Ēnošana Somijā", "Sociālā dienesta darbinieki nedēļu vēroja somu kolēģu darbu.")],
)
def test_new_training_terms(title, body):
    r = classify(title, body)
    assert "training" in r.topics
    assert r.relevant is True


def test_draft_senses_of_projekts():
    r = classify("Apspriešanai nodots saistošo noteikumu projekts",
                 "Projekts paredz mainīt sociālās palīdzības pabalstu apmēru. "
                 "Projektā iekļauti arī jauni sociālie pakalpojumi.")
    assert r.evidence["project"] == []
    assert (r.topics, r.relevant) == ([], False)
    assert "ignored: 'noteikumu projekts' (draft document, not a project)" in r.reasons
    assert "ignored: 'Projekts' (refers to the draft document)" in r.reasons
    # a sentence about the discussion of a draft, without naming the document
    r = classify("Sociālā dienesta jaunumi",
                 "Ar projektu var iepazīties līdz sabiedriskās apspriešanas beigām.")
    assert r.evidence["project"] == []
    assert "ignored: 'projektu' (a draft under discussion, not a project)" in r.reasons
    # a draft named beside a funded project: the funded project stays
    r = classify("Sociālais dienests turpina ESF projektu",
                 "Projekta ietvaros ģimenēm pieejams psihologs. Dome vakar apstiprināja arī "
                 "lēmuma projektu par pabalstiem.")
    assert r.topics == ["project"] and r.relevant is True


def test_funding_named_without_projekts():
    r = classify("Pakalpojumi bērniem ar funkcionāliem traucējumiem",
                 "Sociālā dienesta klientiem pieejama sociālā rehabilitācija. Pakalpojumu "
                 "finansē darbības programmas „Izaugsme un nodarbinātība” 9.2.2.1. pasākums. "
                 "Pieteikties var pa tālruni.")
    assert (r.topics, r.relevant) == (["project"], True)
    assert r.evidence["project"] == []
    assert r.reasons[0].startswith("project: (body ×1) — a named EU measure or project number:")


def test_a_training_article_names_its_funding_project_once():
    r = classify("Sociālie darbinieki mācās mediāciju",
                 "Novada sociālie darbinieki apmeklē mediācijas kursus. Kursi notiek ESF "
                 "projekta ietvaros.")
    assert r.topics == ["training"]
    assert "project: 'projekta' (body ×1) — too weak, not counted" in r.reasons


def test_list_of_building_works_is_not_a_social_project():
    r = classify("Novadā pabeigti ERAF projekti",
                 "Pārbūvēta Skolas iela, nosiltināta skola, ierīkots apgaismojums un atjaunots "
                 "sociālā dienesta ēkas jumts.")
    assert r.relevant is False
    assert r.reasons[-1] == ("not relevant: the social service is one item in a list of "
                             "building works")
    # a building sentence that names the social service it houses is not such a list
    r = classify("Lielvārdē aprīko dienas aprūpes centru",
                 "ERAF projekta ietvaros pabeigta ēkas pārbūve, kur darbu sāks dienas aprūpes "
                 "centrs.")
    assert (r.topics, r.relevant) == (["project"], True)


def test_title_and_one_sentence_lead():
    r = classify("Jaunumi", "Sociālā dienesta darbinieki šonedēļ apmeklēja semināru.")
    assert (r.topics, r.relevant) == (["training"], True)
    assert r.reasons[0] == "training: 'semināru' (body ×1) — title and one-sentence lead"


def test_topic_and_social_in_neighbouring_sentences():
    body = ("Novadā notika seminārs par vardarbības prevenciju. Tajā piedalījās sociālā "
            "dienesta darbinieki.\n\nNākamgad paredzēts vēl viens seminārs. Par to informēs "
            "sociālais dienests.")
    r = classify("Prevencija", body)
    assert (r.topics, r.relevant) == (["training"], True)
    assert r.reasons[-1] == ("relevant: training with social-service context "
                             "(in neighbouring sentences)")


def test_topic_title_with_social_lead():
    r = classify("Supervīzijas palīdz neizdegt",
                 "Supervīzija ir atbalsts palīdzošo profesiju pārstāvjiem. Šoruden to saņem "
                 "novada sociālie darbinieki.")
    assert (r.topics, r.relevant) == (["training"], True)
    assert r.reasons[-1] == ("relevant: training in the title, social-service context in the "
                             "lead")


def test_social_title_with_topic_in_lead():
    r = classify("Sociālā dienesta speciālisti viesojās Tukumā",
                 "Viesošanās bija daļa no pieredzes apmaiņas. Kolēģi rādīja krīzes telpas "
                 "un stāstīja par mācībām.")
    assert (r.topics, r.relevant) == (["training"], True)
    assert r.reasons[-1] == "relevant: training in the lead of a social-service title"


def test_social_service_once_aside_from_the_title_topic():
    r = classify("Konference par uzņēmējdarbību",
                 "Konferencē uzstāsies uzņēmēji. Konferences tēma ir eksports.\n\n"
                 "Konferences laikā foajē strādās arī sociālā dienesta informatīvais stends.")
    assert (r.social, r.topics, r.relevant) == (True, ["training"], False)
    assert r.reasons[-1] == ("not relevant: the social service is mentioned once, aside from "
                             "the topic of the title")


def test_biography_sentence_holds_personal_studies():
    r = classify("Jaunā sociālā dienesta vadītāja",
                 "Vadītāja ir Anna Liepa. Viņa mācījās universitātē, ieguva maģistra grādu "
                 "sociālajā darbā un apmeklēja daudzus kursus.")
    assert (r.topics, r.relevant) == ([], False)
    assert "ignored: 'mācījās' (personal studies (a biography))" in r.reasons


def test_warm_call_is_fast():
    import time
    body = "\n\n".join([STOPINI_BODY, IECAVA_BODY])[:4500]
    classify(STOPINI_TITLE, body)  # warm the lemma cache and simplemma
    runs = []
    for _ in range(20):
        t0 = time.perf_counter()
        classify(STOPINI_TITLE, body)
        runs.append(time.perf_counter() - t0)
    runs.sort()
    assert runs[len(runs) // 2] < 0.02  # ~2 ms measured; a loose bound for a shared machine


# --------------------------------------------------------------------------------------------
# The development table (tests/fixtures/relevance/*.jsonl) and its evaluation command
# --------------------------------------------------------------------------------------------
from sdcrawl.classify import evaluate as relevance_eval  # noqa: E402


def test_relevance_table_meets_the_targets():
    rows = relevance_eval.load()
    assert len(rows) >= 250
    for form in relevance_eval.FORMS:
        of_form = [r for r in rows if r.form == form]
        assert sum(r.relevant for r in of_form) >= 40
        assert sum(not r.relevant for r in of_form) >= 40
    assert {t for r in rows for t in r.topics} == set(TOPICS)
    figures, failures = relevance_eval.evaluate(rows)
    assert relevance_eval.missed(figures) == [], failures


def test_relevance_eval_command(capsys):
    assert relevance_eval.main(["--split", "all", "--check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("all: ")
    assert "whole articles" in out and "title + lead" in out and "topic project" in out


def test_relevance_eval_bad_table(tmp_path, capsys):
    good = {"id": "x1", "form": "lead", "family": "f", "title": "T", "body": "B",
            "relevant": False, "topics": []}
    cases = [
        ("not json", "not JSON"),
        (json.dumps({**good, "form": "page"}), "form must be one of article, lead"),
        (json.dumps({**good, "relevant": True}), "a relevant row names its topics"),
        (json.dumps({**good, "topics": ["travel"]}), "topics must be a subset"),
        (json.dumps({k: v for k, v in good.items() if k != "title"}), "'title' missing"),
        (json.dumps(good) + "\n" + json.dumps(good), "also at t.jsonl:1"),
    ]
    for text, message in cases:
        (tmp_path / "t.jsonl").write_text(text + "\n", encoding="utf-8")
        assert relevance_eval.main(["--data", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: t.jsonl:") and message in err
        assert err.count("\n") == 1
    assert relevance_eval.main(["--data", str(tmp_path / "none")]) == 2
    assert "no *.jsonl files" in capsys.readouterr().err


def test_relevance_split_is_stable_and_about_thirty_percent():
    rows = [r for r in relevance_eval.load() if r.split in ("dev", "holdout")]
    assert relevance_eval.split_of("tr-a01") == relevance_eval.split_of("tr-a01")
    share = sum(r.split == "holdout" for r in rows) / len(rows)
    assert 0.2 < share < 0.4
