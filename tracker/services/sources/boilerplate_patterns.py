"""Pattern tables for line-level boilerplate (navigation, widgets, paywalls) in eight languages.

Each table maps a label to {language code: regex alternatives}. ``"*"`` marks patterns that do
not depend on the language. Patterns are case-insensitive and are matched against a normalised
line: surrounding whitespace, list bullets and decorative symbols (emoji, arrows, »/›, …) are
stripped and inner whitespace is collapsed to single spaces. ``spans.py`` compiles the tables.

- FULL: the alternative must match the whole line (an optional trailing ``:``, ``.`` or ``!`` is
  allowed).
- PREFIX: the alternative must start the line and be followed by a separator (``:``, or a
  spaced dash, bar or arrow) and then anything.
- SEARCH: the alternative may occur anywhere in the line (whole words), for calls to action
  that are phrased as sentences (paywalls, newsletter sign-ups, cookie notices).
"""

from __future__ import annotations

Table = dict[str, dict[str, tuple[str, ...]]]

LANGUAGES: tuple[str, ...] = ("en", "de", "nl", "nb", "nn", "da", "sv", "fr")

# Closely related languages whose patterns are always used together (Scandinavian sites mix
# them and detectors confuse them).
RELATED: dict[str, frozenset[str]] = {
    code: frozenset({"nb", "nn", "da", "sv"}) for code in ("nb", "nn", "da", "sv")
}

# Priority: when several labels match a line, the first in this order wins.
LABEL_ORDER: tuple[str, ...] = (
    "comments",
    "read_also",
    "topics",
    "cookie",
    "newsletter",
    "paywall",
    "copy_link",
    "email",
    "print",
    "share",
    "read_more",
    "most_read",
    "latest_news",
    "advertisement",
    "photo_credit",
    "copyright",
)

# Longest normalised line (in characters) that a label may claim.
MAX_LEN: dict[str, int] = {
    "comments": 80,
    "read_also": 200,
    "topics": 200,
    "cookie": 400,
    "newsletter": 250,
    "paywall": 250,
    "share": 80,
    "copy_link": 40,
    "email": 50,
    "print": 40,
    "read_more": 50,
    "most_read": 50,
    "latest_news": 50,
    "advertisement": 80,
    "photo_credit": 80,
    "copyright": 120,
}

_SOCIAL = (
    r"facebook|twitter|x|linkedin|whatsapp|telegram|pinterest|reddit|xing|threads|bluesky"
    r"|mastodon|flipboard|messenger|tumblr|vk|e-?mail"
)
_COUNT = r"(?: ?[(\[]?\d+[)\]]?)?"  # an optional counter: "Comments (12)", "Share 45"

FULL: Table = {
    "comments": {
        "en": (
            rf"(?:\d+ )?comments?{_COUNT}",
            r"(?:show|view|hide|load|read|see|open) (?:all )?(?:\d+ )?(?:comments|replies)",
            r"(?:leave|post|write|add) (?:a |your )?(?:comment|reply)",
            r"be the first to comment|no comments(?: yet)?",
            r"join the (?:discussion|conversation)",
            r"there (?:are|is) (?:currently )?(?:\d+|no) comments?",
        ),
        "de": (
            rf"(?:\d+ )?kommentare{_COUNT}",
            r"(?:aktuell|derzeit|bisher|momentan) (?:sind|ist|gibt es) (?:\d+|keine) kommentare? "
            r"vorhanden",
            r"(?:es gibt|es sind|gibt es|sind) (?:aktuell |derzeit )?(?:\d+|keine) kommentare?"
            r"(?: vorhanden)?",
            r"(?:alle )?(?:\d+ )?kommentare? (?:anzeigen|ausblenden|einblenden|lesen|laden|öffnen)",
            r"kommentar (?:schreiben|verfassen|abgeben|hinzufügen)",
            r"(?:jetzt )?(?:einen )?kommentar (?:schreiben|verfassen)",
            r"(?:schreiben sie|schreibe) (?:einen|den ersten) kommentar",
            r"(?:noch )?keine kommentare(?: vorhanden)?",
            r"zu den kommentaren|zur diskussion",
        ),
        "nl": (
            rf"(?:\d+ )?reacties?{_COUNT}",
            r"(?:toon|bekijk|lees|verberg|laad) (?:alle )?(?:\d+ )?(?:reacties|reactie)",
            r"(?:plaats|schrijf|geef) (?:een |je )?(?:reactie|commentaar)",
            r"(?:nog )?geen reacties|wees de eerste die reageert|reageer",
            r"er (?:zijn|is) (?:\d+|geen) reacties?",
        ),
        "nb": (
            rf"(?:\d+ )?kommentarer{_COUNT}",
            r"(?:vis|skjul|les|se|last inn) (?:alle )?(?:\d+ )?kommentarer(?:ne)?",
            r"(?:skriv|legg igjen) (?:en )?kommentar",
            r"ingen kommentarer(?: ennå| enda)?",
        ),
        "nn": (r"(?:vis|skjul|les) (?:alle )?kommentarar(?:ne)?", rf"kommentarar{_COUNT}"),
        "da": (
            r"(?:vis|skjul|læs|se) (?:alle )?(?:\d+ )?kommentarer(?:ne)?",
            r"(?:skriv|efterlad) (?:en )?kommentar",
            r"ingen kommentarer(?: endnu)?",
        ),
        "sv": (
            rf"(?:\d+ )?kommentarer{_COUNT}",
            r"(?:visa|dölj|läs|se) (?:alla )?(?:\d+ )?kommentarer(?:na)?",
            r"(?:skriv|lämna) (?:en )?kommentar",
            r"inga kommentarer(?: än)?",
        ),
        "fr": (
            rf"(?:\d+ )?commentaires?{_COUNT}",
            r"(?:afficher|voir|masquer|lire|charger) (?:les |tous les )?(?:\d+ )?commentaires",
            r"(?:laisser|ajouter|écrire|publier) un commentaire",
            r"(?:aucun commentaire|soyez le premier à commenter|réagir|réagissez)",
        ),
    },
    "topics": {
        # A line of hashtags only: "#Energie", "#Russia #Ukraine".
        "*": (r"(?:#[^\W\d_][\w-]*[ ,;|·]*)+",),
    },
    "cookie": {
        "en": (
            r"accept(?: all)?(?: cookies)?",
            r"(?:reject|decline) (?:all|cookies)",
            r"cookie (?:settings|preferences|policy|consent)",
            r"(?:manage|customi[sz]e) (?:cookies|preferences|consent|privacy settings)",
            r"privacy settings",
        ),
        "de": (
            r"(?:alle )?(?:cookies )?akzeptieren",
            r"alle (?:cookies )?ablehnen",
            r"cookie-?(?:einstellungen|richtlinie|hinweis)",
            r"datenschutz-?einstellungen",
        ),
        "nl": (
            r"(?:alle )?cookies accepteren",
            r"alles accepteren",
            r"accepteer(?: alle)?(?: cookies)?",
            r"cookie-?(?:instellingen|beleid|voorkeuren)",
        ),
        "nb": (
            r"(?:godta|aksepter|tillat) alle(?: informasjonskapsler| cookies)?",
            r"(?:innstillinger for )?informasjonskapsler",
            r"cookie-?innstillinger",
        ),
        "nn": (r"godta alle(?: informasjonskapslar)?", r"informasjonskapslar"),
        "da": (r"(?:acceptér|accepter|tillad) alle(?: cookies)?", r"cookie-?indstillinger"),
        "sv": (
            r"(?:godkänn|acceptera|tillåt) alla(?: cookies| kakor)?",
            r"cookie-?inställningar",
            r"inställningar för kakor",
        ),
        "fr": (
            r"(?:tout accepter|accepter tout|accepter les cookies|tout refuser|refuser tout)",
            r"(?:paramètres|gestion) des cookies",
            r"paramétrer les cookies",
        ),
    },
    "newsletter": {
        "en": (r"(?:our |the )?newsletter",),
        "de": (r"(?:unser |der )?newsletter",),
        "nl": (r"(?:onze |de )?nieuwsbrief",),
        "nb": (r"(?:vårt )?nyhetsbrev(?:et)?",),
        "nn": (r"nyheitsbrev(?:et)?",),
        "da": (r"(?:vores )?nyhedsbrev(?:et)?",),
        "sv": (r"(?:vårt )?nyhetsbrev(?:et)?",),
        "fr": (r"(?:notre |la )?newsletter|lettre d'information",),
    },
    "share": {
        "*": (rf"(?:{_SOCIAL})(?:[ ,;|·/•]+(?:{_SOCIAL}))*",),
        "en": (
            r"share(?: this)?(?: article| story| page| post| video)?(?: via| on| with)?"
            rf"(?: (?:{_SOCIAL}))?{_COUNT}",
            r"tweet(?: this)?",
            r"shares? ?\d+",
        ),
        "de": (
            r"(?:artikel |beitrag |seite |video )?teilen",
            rf"(?:auf|per|via) (?:{_SOCIAL}) teilen",
            r"(?:diesen )?(?:artikel|beitrag) teilen",
            r"teilen sie (?:diesen|den) artikel",
        ),
        "nl": (
            r"(?:artikel |deze pagina )?delen",
            rf"(?:deel|delen)(?: dit artikel)?(?: (?:op|via) "
            rf"(?:{_SOCIAL}))?",
        ),
        "nb": (
            rf"del(?: artikkelen| saken| denne saken| artikkel)?(?: (?:på|via) (?:{_SOCIAL}))?",
        ),
        "nn": (r"del(?: saka| artikkelen)?",),
        "da": (rf"del(?: artiklen| artikel)?(?: (?:på|via) (?:{_SOCIAL}))?",),
        "sv": (rf"dela(?: artikeln| artikel)?(?: (?:på|via) (?:{_SOCIAL}))?",),
        "fr": (
            rf"partager(?: (?:cet|l')article)?(?: (?:sur|via|par) (?:{_SOCIAL}))?",
            r"partagez(?: cet article)?",
        ),
    },
    "copy_link": {
        "en": (r"copy(?: the)? link|link copied|copy url",),
        "de": (r"link kopieren|link kopiert|url kopieren",),
        "nl": (r"kopieer(?: de)? link|link kopiëren|link gekopieerd",),
        "nb": (r"kopier (?:lenke|lenken|lenkja|link|linken)|lenke kopiert",),
        "nn": (r"kopier lenkja",),
        "da": (r"kopi[eé]r (?:link|linket)|link kopieret",),
        "sv": (r"kopiera (?:länk|länken)|länk kopierad",),
        "fr": (r"copier le lien|lien copié",),
    },
    "email": {
        "*": (r"e-?mail",),
        "en": (r"e-?mail (?:this|to a friend|article|this article)|send (?:by|via) e-?mail",),
        "de": (r"(?:artikel )?per (?:e-)?mail (?:senden|teilen|versenden|verschicken)",),
        "nl": (r"(?:deel via |verstuur per )?e-?mail(?:en)?", r"mail dit artikel"),
        "nb": (r"e-?post", r"(?:send|del) (?:på|via|som) e-?post"),
        "nn": (r"send på e-?post",),
        "da": (r"(?:send|del) (?:på|via|som) e-?mail",),
        "sv": (r"e-?post", r"skicka (?:som|via) e-?post|mejla"),
        "fr": (r"envoyer par (?:e-?mail|courriel)|courriel",),
    },
    "print": {
        "en": (r"print(?: this)?(?: article| page| story)?|printer[- ]friendly(?: version)?",),
        "de": (r"(?:artikel |seite )?drucken|druckansicht|druckversion",),
        "nl": (r"afdrukken|print(?: dit artikel)?|printversie",),
        "nb": (r"skriv ut(?: artikkelen| saken)?",),
        "nn": (r"skriv ut(?: saka)?",),
        "da": (r"udskriv(?: artiklen)?|print",),
        "sv": (r"skriv ut(?: artikeln)?",),
        "fr": (r"imprimer(?: (?:cet|l')article)?|version imprimable",),
    },
    "read_more": {
        "en": (
            r"read more|read the (?:full|whole) (?:article|story)|read full (?:article|story)",
            r"continue reading|keep reading|show more|see more|view more|load more|learn more",
            r"more|read on",
        ),
        "de": (
            r"weiterlesen|mehr lesen|mehr anzeigen|mehr erfahren|mehr dazu|mehr|alles lesen",
            r"zum (?:ganzen )?artikel|(?:ganzen )?artikel lesen|hier weiterlesen",
        ),
        "nl": (
            r"lees meer|lees verder|meer lezen|toon meer|meer weergeven|bekijk meer|meer",
            r"lees het (?:hele|volledige) artikel",
        ),
        "nb": (r"les mer|les hele (?:saken|artikkelen)|vis mer|se mer|mer",),
        "nn": (r"les meir|les heile saka|vis meir|meir",),
        "da": (r"læs mere|læs hele artiklen|vis mere|se mere|mere",),
        "sv": (r"läs mer|läs hela artikeln|visa mer|se mer|mer",),
        "fr": (
            r"lire la suite|lire plus|en savoir plus|voir plus|afficher plus|plus",
            r"lire l'article(?: complet)?",
        ),
    },
    "most_read": {
        "en": (r"most (?:read|popular|viewed|shared)|trending(?: now| stories)?|popular(?: now)?",),
        "de": (r"meistgelesen(?:e artikel)?|am meisten gelesen|meistgeklickt|beliebteste artikel",),
        "nl": (r"meest gelezen|meest bekeken|populair",),
        "nb": (r"mest lest|mest populære|mest delt|populært",),
        "nn": (r"mest lese|mest lest",),
        "da": (r"mest læste|mest læst|mest populære",),
        "sv": (r"mest lästa|mest läst|mest delade|populärt",),
        "fr": (r"les plus lus|les plus populaires|les plus partagés|tendances",),
    },
    "latest_news": {
        "en": (
            r"latest(?: news| stories| articles| headlines)?|breaking news|top stories|just in",
            r"more news|recent (?:posts|articles|news)|news",
        ),
        "de": (
            r"(?:die )?neueste(?:n)?(?: nachrichten| artikel| beiträge| meldungen)?",
            r"aktuelle nachrichten|aktuelles|nachrichten|weitere nachrichten|mehr nachrichten",
            r"letzte meldungen|eilmeldungen?|top-?themen|news",
        ),
        "nl": (r"(?:het )?laatste nieuws|meest recent|nieuws|net binnen|meer nieuws",),
        "nb": (r"siste nytt|siste nyheter|nyheter|mer nytt|flere nyheter",),
        "nn": (r"siste nytt|siste nyhende|nyhende",),
        "da": (r"seneste nyt|seneste nyheder|nyheder|flere nyheder",),
        "sv": (r"senaste nytt|senaste nyheterna|nyheter|fler nyheter",),
        "fr": (
            r"dernières (?:nouvelles|actualités|actus|infos)|à la une|actualités|en continu",
            r"fil info|plus d'actualités",
        ),
    },
    "advertisement": {
        "en": (
            r"advertisement|advertising|ads?|sponsored(?: content| post)?|promoted"
            r"|paid (?:content|post|partnership)",
        ),
        "de": (r"anzeige|werbung|gesponsert|sponsored|reklame",),
        "nl": (r"advertentie|gesponsord|gesponsorde inhoud",),
        "nb": (r"annonse|annonsørinnhold|reklame|sponset innhold",),
        "nn": (r"annonse|reklame",),
        "da": (r"annonce|reklame|sponsoreret(?: indhold)?",),
        "sv": (r"annons|reklam|sponsrat(?: innehåll)?",),
        "fr": (r"publicité|contenu sponsorisé|sponsorisé|annonce",),
    },
}

FULL["paywall"] = {
    # Markers of a locked article.
    "en": (r"premium(?: article| content)?|subscribers? only|subscriber exclusive",),
    "de": (r"(?:plus|premium)-?(?:artikel|inhalt|abo)?|abo-?(?:artikel|inhalt)",),
    "nl": (r"premium(?: artikel)?|alleen voor abonnees",),
    "nb": (r"pluss(?:artikkel|sak)?|kun for abonnenter",),
    "nn": (r"pluss(?:artikkel|sak)?|berre for abonnentar",),
    "da": (r"premium(?: artikel)?|kun for abonnenter",),
    "sv": (r"premium(?: artikel)?|plus-?artikel|för prenumeranter",),
    "fr": (r"article (?:réservé aux abonnés|premium)|réservé aux abonnés|premium",),
}
FULL["copyright"] = {"*": (r"(?:©|\(c\)|copyright)\s?.+",)}

PREFIX: Table = {
    "read_also": {
        "en": (
            r"read also|also read|read next|related(?: articles?| stories| content| posts)?",
            r"see also|more on this(?: topic| story)?|recommended(?: for you)?",
            r"you (?:may|might) also like",
        ),
        "de": (
            r"lesen sie auch|lies auch|auch interessant|das könnte sie auch interessieren",
            r"mehr zum thema|weitere artikel|verwandte artikel|passend dazu|siehe auch",
            r"lesen sie (?:hier|mehr|weiter)|zum thema|empfehlungen",
        ),
        "nl": (
            r"lees ook|lees meer over|zie ook|gerelateerd(?:e artikelen)?",
            r"meer over dit onderwerp|ook interessant|dit vind je misschien ook interessant",
        ),
        "nb": (r"les også|se også|relaterte (?:saker|artikler)|anbefalt|mer om (?:dette|saken)",),
        "nn": (r"les òg|les og|sjå også|sjå òg",),
        "da": (r"læs også|se også|relaterede artikler|mere om emnet",),
        "sv": (r"läs också|läs även|se även|se också|relaterade artiklar|mer om ämnet",),
        "fr": (
            r"lire aussi|à lire aussi|a lire aussi|lire également|à lire également|voir aussi",
            r"sur le même sujet|articles? (?:liés|similaires)|vous aimerez aussi",
        ),
    },
    "topics": {
        "en": (r"topics|tags|tagged(?: with)?|filed under|categories|category|keywords",),
        "de": (r"themen|thema|schlagwörter|schlagworte|stichwörter|stichworte|kategorien?|tags",),
        "nl": (r"onderwerpen|onderwerp|trefwoorden|tags|categorieën|categorie|thema's",),
        "nb": (r"emner|emne|stikkord|tema|tagger|kategori",),
        "nn": (r"emne|stikkord|tema",),
        "da": (r"emner|emne|nøgleord|tags|kategori",),
        "sv": (r"ämnen|ämne|taggar|nyckelord|kategori",),
        "fr": (r"sujets|thèmes|mots-clés|mots clés|étiquettes|catégories?|tags",),
    },
    "photo_credit": {
        # "Foto: NTB", "Photo: Reuters/John Doe", "Bild: dpa"; the rest of the line is checked to
        # be a short credit in spans.py (at most eight words).
        "*": (
            r"fotos?|photos?|bild|bilder|bildquelle|image|images|credits?|crédits?"
            r"|crédit photo|illustrasjon|illustration|fotograf|photographer|beeld|afbeelding",
        ),
    },
}

SEARCH: Table = {
    "cookie": {
        "en": (
            r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies",
            r"by (?:continuing to )?(?:using|browsing) this (?:web)?site,? you (?:agree|accept)",
        ),
        "de": (
            r"(?:wir verwenden|wir nutzen|wir setzen) cookies",
            r"(?:diese|unsere) (?:web)?(?:seite|site|website) (?:verwendet|nutzt) cookies",
        ),
        "nl": (
            r"(?:deze|onze) (?:web)?site (?:gebruikt|maakt gebruik van) cookies",
            r"(?:wij|we) gebruiken cookies",
        ),
        "nb": (r"vi (?:bruker|benytter) (?:informasjonskapsler|cookies)",),
        "nn": (r"vi nyttar (?:informasjonskapslar|cookies)",),
        "da": (r"vi (?:bruger|anvender) cookies",),
        "sv": (r"vi använder (?:cookies|kakor)",),
        "fr": (
            r"(?:ce site|notre site|nous) (?:utilise|utilisons) des cookies",
            r"en poursuivant votre navigation",
        ),
    },
    "newsletter": {
        "en": (
            r"(?:sign up|subscribe|register) (?:for|to) (?:our|the) (?:\w+ )?newsletter",
            r"(?:get|receive) (?:our|the) (?:\w+ )?newsletter",
        ),
        "de": (
            r"newsletter (?:abonnieren|bestellen|anmelden)",
            r"(?:für|zu|zum) (?:unseren |den )?newsletter (?:an|anmelden|registrieren)",
            r"(?:jetzt|hier) (?:zum |für den )?newsletter",
        ),
        "nl": (
            r"(?:schrijf (?:je|u) in|meld (?:je|u) aan|abonneer (?:je|u)) (?:\w+ )?(?:voor|op) "
            r"(?:onze |de )?(?:\w+ )?nieuwsbrief",
            r"ontvang (?:onze|de) nieuwsbrief",
        ),
        "nb": (r"(?:meld deg på|abonner på|få) (?:vårt |våre )?nyhetsbrev",),
        "nn": (r"meld deg på nyheitsbrev",),
        "da": (r"(?:tilmeld dig|abonnér på|abonner på|få) (?:vores )?nyhedsbrev",),
        "sv": (r"(?:prenumerera på|anmäl dig till|registrera dig för|få) (?:vårt )?nyhetsbrev",),
        "fr": (
            r"(?:inscrivez-vous|abonnez-vous|s'inscrire|inscription) (?:à|a) (?:notre |la )?"
            r"newsletter",
            r"recevez (?:notre|la) newsletter",
        ),
    },
    "copyright": {
        "*": (
            r"all rights reserved|alle rechte vorbehalten|alle rechten voorbehouden"
            r"|alle rettigheter (?:er )?(?:reservert|forbeholdt)|alle rettigheder forbeholdes"
            r"|alla rättigheter förbehållna|tous droits réservés",
        ),
    },
    "paywall": {
        "en": (
            r"subscribe (?:now|today|here|to (?:continue|read|keep reading|unlock|get))",
            r"already a (?:subscriber|member)|already subscribed",
            r"(?:log|sign) in to (?:continue|read|keep reading|access)",
            r"(?:for|to) (?:subscribers|paying subscribers|premium members) only",
            r"subscribers only|subscriber-only|to continue reading, (?:subscribe|log in|sign in)",
            r"unlock (?:this|the full|full) (?:article|story|access)",
            r"become a (?:subscriber|paying member)|become a member (?:now|today)",
            r"start your free trial|get unlimited access",
        ),
        "de": (
            r"jetzt (?:abonnieren|abonnent werden|abo abschließen|freischalten|weiterlesen)",
            r"(?:bereits|schon) (?:abonnent|abonniert|registriert|ein abo)",
            r"(?:nur|exklusiv) für (?:abonnenten|abonnentinnen|plus-?abonnenten|abonnierende)",
            r"mit (?:einem )?(?:abo|abonnement|plus) weiterlesen|weiterlesen mit",
            r"abonnieren sie (?:jetzt|hier|unser)|zum weiterlesen|um weiterzulesen",
        ),
        "nl": (
            r"abonneer (?:je|u|nu|hier)|word (?:nu )?abonnee|(?:al|ben je al|bent u al) abonnee",
            r"toegang tot alle artikelen|log in om (?:verder te lezen|dit artikel te lezen)",
            r"(?:alleen|exclusief) (?:voor|beschikbaar voor) abonnees",
            r"(?:neem|sluit) (?:nu )?een abonnement",
        ),
        "nb": (
            r"bli abonnent|allerede abonnent|(?:kun|bare) for abonnenter|kjøp abonnement",
            r"logg inn for (?:å lese|å fortsette)|abonner (?:nå|her|i dag)",
            r"(?:denne|artikkelen|saken) er (?:forbeholdt|kun for) abonnenter",
        ),
        "nn": (r"berre for abonnentar|bli abonnent|allereie abonnent",),
        "da": (
            r"bliv abonnent|allerede abonnent|kun for abonnenter|køb abonnement",
            r"log ind for at læse|forbeholdt abonnenter",
        ),
        "sv": (
            r"bli prenumerant|(?:redan|är du redan) prenumerant|för prenumeranter",
            r"logga in för att läsa|prenumerera (?:nu|här|idag)|köp prenumeration",
        ),
        "fr": (
            r"abonnez-vous|déjà abonné|réservée? aux abonnés|je m'abonne",
            r"connectez-vous pour (?:lire|continuer)|pour lire la suite",
        ),
    },
}
