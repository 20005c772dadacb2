"""Word lists for the dedup guards (``guards.py``): negation, opposite pairs, event stages,
vague quantities, months, weekdays and relative days in en, de, nl, nb/nn, da, sv and fr.

Specs read ``lang=form, form | form, form; lang=...``: forms are separated by commas, the two
sides of an opposite pair by "|", languages by ";". Forms are stemmed with the language's
stemmer, so one form per word usually covers its inflections; multi-word forms match as
phrases.
"""

from __future__ import annotations


def _list(text: str) -> list[str]:
    return text.split()


# Negation markers. AMBIGUOUS ones count only in the listed language ("no" is "now" in nn,
# "noch" is "still" in German, French "ne", "pas", "personne" are ordinary words elsewhere).
NEGATIONS: frozenset[str] = frozenset(
    _list(
        "not never none nobody nothing neither nor nowhere cannot "
        "nicht nie niemals kein keine keinen keinem keiner keines nichts niemand weder nirgends "
        "niet nooit geen niets niemand nergens "
        "ikke ikkje aldri ingen intet ingenting verken hverken korkje inkje aldrig "
        "inte icke inga inget varken "
        "jamais aucun aucune rien"
    )
)
AMBIGUOUS_NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"no"}),
    "nl": frozenset({"noch"}),
    "fr": frozenset({"ne", "n", "pas", "ni", "non"}),
}
# Multi-word markers, shown whole in warnings.
NEGATION_PHRASES: tuple[str, ...] = (
    "no longer",
    "not any longer",
    "not anymore",
    "not any more",
    "nicht mehr",
    "keine mehr",
    "niet meer",
    "geen meer",
    "ikke lenger",
    "ikke lengre",
    "ikke mer",
    "ikkje lenger",
    "ikke længere",
    "ikke mere",
    "inte längre",
    "inte mer",
    "ne plus",
    "n plus",
    "ne pas",
    "n pas",
    "ne jamais",
    "n jamais",
)

# A negation followed by one of these words does not negate: "not only ... but also".
NOT_NEGATING_NEXT: frozenset[str] = frozenset(
    _list("only just merely nur bloß allein alleen enkel slechts bare kun bara enbart seulement")
)

# Opposite pairs. A side preceded by a negation ("did not approve") counts as the other side
# when that makes the two claims agree.
POLARITY: tuple[str, ...] = (
    "en=impose, introduce sanction | lift, scrap; de=verhängen, einführen | aufheben, "
    "aufhebung; nl=opleggen, invoeren | opheffen, opheffing; nb=innføre, ilegge | oppheve, "
    "opphevelse; da=indføre, pålægge | ophæve; sv=införa | häva; fr=imposer | lever, levée",
    "en=approve, accept, endorse, back | reject, refuse, veto, turn down; de=billigen, "
    "zustimmen, genehmigen, annehmen, akzeptieren | ablehnen, zurückweisen, ablehnung; "
    "nl=goedkeuren, aannemen, accepteren | afwijzen, verwerpen; nb=godkjenne, godta, "
    "akseptere | avvise, forkaste; da=godkende, acceptere | afvise, forkaste; sv=godkänna, "
    "godta | avvisa, förkasta; fr=approuver, accepter | rejeter, refuser",
    "en=ratify | withdraw, pull out, renounce, revoke; de=ratifizieren | zurückziehen, "
    "austreten, kündigen, aufkündigen; nl=ratificeren | terugtrekken, opzeggen; "
    "nb=ratifisere | trekke seg, trakk seg, si opp, sa opp; da=ratificere | trække sig, "
    "opsige; sv=ratificera | dra sig ur, utträda; fr=ratifier | retirer, dénoncer",
    "en=increase, rise, raise, grow, boost | decrease, fall, drop, decline, reduce, cut, "
    "lower, shrink; de=erhöhen, steigen, zunehmen, wachsen, anheben, anstieg | senken, "
    "sinken, abnehmen, reduzieren, kürzen, rückgang, fallen; nl=verhogen, stijgen, toenemen, "
    "groeien, stijging | verlagen, dalen, afnemen, verminderen, krimpen, daling; nb=øke, "
    "stige, vokse, økning | redusere, synke, falle, minke, kutte, nedgang; da=øge, stige, "
    "vokse, stigning | mindske, reducere, falde, synke, fald; sv=öka, stiga, växa, ökning | "
    "minska, sjunka, sänka, falla, minskning; fr=augmenter, hausse | diminuer, baisse, "
    "réduire, baisser",
    "en=win, victory | lose, defeat; de=gewinnen, siegen, sieg | verlieren, niederlage; "
    "nl=winnen, overwinning | verliezen, nederlaag; nb=vinne, seier | tape, nederlag; "
    "da=vinde, sejr | tabe, nederlag; sv=vinna, seger | förlora, nederlag; fr=gagner, "
    "victoire | perdre, défaite",
    "en=confirm | deny, refute; de=bestätigen | dementieren, bestreiten, leugnen; "
    "nl=bevestigen | ontkennen, weerleggen; nb=bekrefte | avkrefte, benekte; da=bekræfte | "
    "afkræfte, benægte; sv=bekräfta | förneka, dementera; fr=confirmer | démentir, nier",
    "en=legal, lawful, legitimate | illegal, unlawful, illegitimate; de=legal, rechtmäßig, "
    "zulässig | illegal, rechtswidrig, unrechtmäßig, unzulässig; nl=legaal, wettig, "
    "rechtmatig | illegaal, onwettig, onrechtmatig; nb=lovlig, legal | ulovlig, illegal; "
    "da=lovlig | ulovlig; sv=laglig | olaglig; fr=légal | illégal",
    "en=allow, permit, authorize, legalize | ban, forbid, prohibit, outlaw; de=erlauben, "
    "zulassen, gestatten | verbieten, verbot, untersagen; nl=toestaan, toelaten | verbieden, "
    "verbod; nb=tillate | forby, forbud; da=tillade | forbyde, forbud; sv=tillåta | "
    "förbjuda, förbud; fr=autoriser, permettre | interdire, interdiction",
    "en=support | oppose; de=befürworten | widersetzen; nl=voorstaan | tegenwerken; "
    "nb=støtte | motsette; sv=stödja | motsätta; fr=soutenir | opposer",
    "en=guilty | innocent; de=schuldig | unschuldig; nl=schuldig | onschuldig; nb=skyldig | "
    "uskyldig; da=skyldig | uskyldig; sv=skyldig | oskyldig; fr=coupable | innocent",
    "en=convict | acquit; de=verurteilen | freisprechen, freispruch; nl=veroordelen | "
    "vrijspreken, vrijspraak; nb=dømme | frifinne; da=dømme | frifinde; sv=döma | frikänna; "
    "fr=condamner | acquitter",
    "en=true, correct, accurate | false, untrue, incorrect, wrong, fake; de=wahr, richtig, "
    "korrekt | falsch, unwahr, gefälscht; nl=juist, correct | onwaar, onjuist, vals, fout; "
    "nb=sann, riktig, korrekt | usann, falsk, feil; da=sand, korrekt | falsk, usand, "
    "forkert; sv=sann, korrekt | falsk, osann, fel; fr=vrai, exact | faux",
    "en=open | close, shut; de=öffnen, eröffnen | schließen; nl=openen | sluiten; "
    "nb=åpne | stenge, lukke; da=åbne | lukke; sv=öppna | stänga; fr=ouvrir | fermer",
    "en=strengthen | weaken; de=stärken, verstärken | schwächen; nl=versterken | "
    "verzwakken; nb=styrke | svekke; da=styrke | svække; sv=stärka | försvaga; "
    "fr=renforcer | affaiblir",
    "en=more, higher, larger, bigger | less, fewer, lower, smaller; de=mehr, höher, größer | "
    "weniger, niedriger, kleiner; nl=meer, hoger, groter | minder, lager, kleiner; "
    "nb=flere, mer, høyere, større | færre, mindre, lavere; da=flere, mere, højere, større | "
    "færre, mindre, lavere; sv=fler, mer, högre, större | färre, mindre, lägre; "
    "fr=plus, supérieur | moins, inférieur",
    "en=majority | minority; de=mehrheit | minderheit; nl=meerderheid | minderheid; "
    "nb=flertall | mindretall; da=flertal | mindretal; sv=majoritet | minoritet; "
    "fr=majorité | minorité",
    "en=join | leave, exit, quit; de=beitreten, beitritt | austreten, austritt, verlassen; "
    "nl=toetreden, toetreding | uittreden, verlaten; nb=tre inn, innmelding | tre ut, "
    "forlate, utmelding; da=tiltræde | udtræde, forlade; sv=gå med | lämna, utträda; "
    "fr=adhérer, rejoindre | quitter",
    "en=succeed, success, successful | fail, failure, unsuccessful; de=gelingen, erfolg, "
    "erfolgreich | scheitern, misserfolg, erfolglos; nl=slagen, succes, geslaagd | mislukken, "
    "falen; nb=lykkes, suksess, vellykket | mislykkes, mislykket; da=lykkes | mislykkes; "
    "sv=lyckas, framgång | misslyckas; fr=réussir, succès | échouer, échec",
    "en=alive, survive | dead, die; de=lebendig, überleben | tot, sterben; nl=levend, "
    "overleven | dood, sterven, overleden; nb=levende, overleve | død, dø, omkomme; "
    "da=levende, overleve | død, dø; sv=levande, överleva | död, dö, omkomma; fr=vivant, "
    "survivre | mort, mourir",
    "en=import | export; de=import, importieren | export, exportieren; nl=importeren | "
    "exporteren; nb=import, importere | eksport, eksportere; da=import | eksport; "
    "sv=import | export; fr=importer | exporter",
    "en=buy, purchase | sell; de=kaufen | verkaufen; nl=kopen | verkopen; nb=kjøpe | selge; "
    "da=købe | sælge; sv=köpa | sälja; fr=acheter | vendre",
    "en=include | exclude; de=einschließen | ausschließen; nl=insluiten | uitsluiten; "
    "nb=inkludere | ekskludere, utelukke; da=inkludere | udelukke; sv=inkludera | utesluta; "
    "fr=inclure | exclure",
    "en=ally, friend | enemy, foe, adversary; de=verbündet, freund | feind, gegner; "
    "nl=bondgenoot, vriend | vijand, tegenstander; nb=alliert, venn | fiende, motstander; "
    "da=allieret, ven | fjende, modstander; sv=allierad, vän | fiende, motståndare; "
    "fr=allié, ami | ennemi, adversaire",
    "en=begin, start, launch, resume | end, stop, halt, cease, suspend; de=beginnen, starten, "
    "aufnehmen | beenden, stoppen, einstellen, aussetzen; nl=beginnen, starten, hervatten | "
    "beëindigen, stoppen, staken, opschorten; nb=begynne, starte, gjenoppta | avslutte, "
    "stanse, stoppe, innstille; da=begynde, starte, genoptage | afslutte, standse, stoppe, "
    "indstille; sv=börja, starta, återuppta | avsluta, stoppa, avbryta; fr=commencer, lancer, "
    "reprendre | arrêter, terminer, suspendre",
    "en=agree | disagree; de=einig | uneinig; nl=eens | oneens; nb=enig | uenig; da=enig | "
    "uenig; sv=enig | oenig; fr=accord | désaccord",
)

# Prefixes that turn a word into its opposite ("unconstitutional", "disapproves", "ulovlig").
PREFIX_NEGATORS: dict[str, tuple[str, ...]] = {
    "en": ("un", "in", "im", "il", "ir", "dis", "non"),
    "de": ("un", "nicht"),
    "nl": ("on", "niet"),
    "nb": ("u",),
    "nn": ("u",),
    "da": ("u",),
    "sv": ("o",),
    "fr": ("in", "im", "il", "ir", "des", "non"),
}
# Words that only look prefixed: "discover" is not the opposite of "cover".
PREFIX_EXCEPTIONS: frozenset[str] = frozenset(
    _list(
        "discharge discover dispatch display dismiss dissolve distance distract dispose "
        "impress import impose impact income inform insight install intend intent invest "
        "involve invent increase inflation inflame indicate insist interest internal interview "
        "union unite united uniform until unless under understand undertake unilateral "
        "universal university dispute district disease distribute dissent impeach implement "
        "improve incident include inside inspect instance instead invade invite "
        "unterstutz unternehm unterzeichn untersuch unterricht unterhalt unterschied "
        "ontmoet ontwikkel ontvang ondersteun onderhandel onderzoek onderteken ontken "
        "utfor utvikl utgjor utsett utland uttal utenriks undersok underteg "
        "ordning ovning omrad"
    )
)
# Paired suffixes with opposite meaning after the same stem ("verfassungswidrig" vs
# "verfassungsgemäß", "harmless" vs "harmful").
SUFFIX_OPPOSITES: tuple[tuple[str, str], ...] = (
    ("widrig", "gemass"),
    ("widrig", "massig"),
    ("less", "ful"),
    ("loos", "vol"),
    ("los", "voll"),
    ("los", "full"),
    ("stridig", "messig"),
)

# Event stages: within one group, different stages mean different events ("proposed" vs
# "adopted", "announced" vs "signed" or "carried out"). Each entry is (group, stage, spec).
EVENT_STAGES: tuple[tuple[str, str, str], ...] = (
    (
        "process",
        "propose",
        "en=propose, proposal, draft, suggest; de=vorschlagen, vorschlag, "
        "entwurf, entwerfen; nl=voorstellen, voorstel, ontwerp; nb=foreslå, forslag, utkast; "
        "da=foreslå, forslag, udkast; sv=föreslå, förslag; fr=proposer, proposition",
    ),
    (
        "process",
        "negotiate",
        "en=negotiate, negotiation; de=verhandeln, verhandlung; "
        "nl=onderhandelen, onderhandeling; nb=forhandle, forhandling; da=forhandle, "
        "forhandling; sv=förhandla, förhandling; fr=négocier, négociation",
    ),
    (
        "process",
        "sign",
        "en=sign, signing; de=unterzeichnen, unterschreiben, unterzeichnung; "
        "nl=ondertekenen, tekenen, ondertekening; nb=signere, undertegne, underskrive; "
        "da=underskrive, underskrift, signere; sv=underteckna, skriva under; fr=signer, signature",
    ),
    (
        "process",
        "adopt",
        "en=adopt, pass, approve, enact; de=verabschieden, beschließen, "
        "annehmen, billigen, zustimmen; nl=aannemen, goedkeuren; nb=vedta, godkjenne; "
        "da=vedtage, godkende; sv=anta, godkänna, besluta; fr=adopter, approuver, voter",
    ),
    (
        "process",
        "ratify",
        "en=ratify; de=ratifizieren; nl=ratificeren; nb=ratifisere; "
        "da=ratificere; sv=ratificera; fr=ratifier",
    ),
    (
        "process",
        "in force",
        "en=enter into force, come into force, take effect, implement, "
        "implementation; de=in kraft, umsetzen, umsetzung; nl=in werking, implementeren; "
        "nb=i kraft, iverksette; da=i kraft, iværksætte; sv=i kraft, genomföra; "
        "fr=en vigueur, mettre en oeuvre",
    ),
    (
        "process",
        "consider",
        "en=consider, weigh, mull, contemplate; de=erwägen, überlegen, "
        "prüfen; nl=overwegen; nb=vurdere, overveie; da=overveje; sv=överväga; "
        "fr=envisager, examiner",
    ),
    (
        "process",
        "plan",
        "en=plan, intend, prepare; de=planen, beabsichtigen, vorbereiten; "
        "nl=plannen, voorbereiden, van plan; nb=planlegge, forberede; da=planlægge, forberede; "
        "sv=planera, förbereda; fr=prévoir, planifier, préparer",
    ),
    (
        "process",
        "announce",
        "en=announce, announcement, pledge, promise, vow; "
        "de=ankündigen, ankündigung, verkünden, versprechen, zusagen; nl=aankondigen, "
        "aankondiging, beloven, toezeggen; nb=kunngjøre, annonsere, love; da=annoncere, "
        "bebude, love; sv=meddela, tillkännage, utlova, lova; fr=annoncer, promettre",
    ),
    (
        "process",
        "carry out",
        "en=carry out, conduct, hold, execute, perform, stage; "
        "de=durchführen, ausführen, abhalten, verüben; nl=uitvoeren, houden, plegen; "
        "nb=gjennomføre, utføre, holde; da=gennemføre, udføre, afholde; sv=genomföra, utföra, "
        "hålla; fr=mener, effectuer, réaliser, exécuter",
    ),
    (
        "process",
        "complete",
        "en=complete, finish, conclude; de=abschließen, vollenden; "
        "nl=voltooien, afronden; nb=fullføre, fullbyrde; da=fuldføre; sv=slutföra; "
        "fr=achever",
    ),
    (
        "justice",
        "suspect",
        "en=suspect; de=verdächtigen, verdacht, mutmaßlich; "
        "nl=verdenken, verdacht; nb=mistenke, mistenkt; da=mistænke; sv=misstänka; "
        "fr=soupçonner",
    ),
    (
        "justice",
        "arrest",
        "en=arrest, detain, apprehend; de=festnehmen, verhaften, "
        "festnahme; nl=arresteren, aanhouden, oppakken; nb=arrestere, pågripe; da=anholde, "
        "arrestere; sv=gripa, anhålla, arrestera; fr=interpeller",
    ),
    (
        "justice",
        "charge",
        "en=charge, indict, prosecute, indictment; de=anklagen, anklage; "
        "nl=aanklagen, vervolgen; nb=tiltale, sikte; da=tiltale, sigte; sv=åtala, åtal; "
        "fr=inculper, poursuivre",
    ),
    (
        "justice",
        "convict",
        "en=convict, found guilty; de=verurteilen; nl=veroordelen; "
        "nb=dømme; da=dømme; sv=döma; fr=condamner",
    ),
    (
        "justice",
        "sentence",
        "en=sentence, jail, imprison; de=haftstrafe; nl=celstraf; "
        "nb=fengselsstraff; da=fængselsstraf; sv=fängelsestraff; fr=emprisonner",
    ),
    (
        "conflict",
        "threaten",
        "en=threaten, threat; de=drohen, androhen, drohung; "
        "nl=dreigen, dreiging; nb=true, trussel; da=true, trussel; sv=hota, hot; "
        "fr=menacer, menace",
    ),
    (
        "conflict",
        "attack",
        "en=attack, strike, invade, bomb; de=angreifen, angriff, "
        "bombardieren; nl=aanvallen, aanval, binnenvallen; nb=angripe, angrep, invadere; "
        "da=angribe, angreb; sv=angripa, anfalla; fr=attaquer, envahir",
    ),
    (
        "election",
        "nominate",
        "en=nominate, nomination, candidate; de=nominieren, kandidat; "
        "nl=nomineren, kandidaat; nb=nominere, kandidat; da=nominere, kandidat; sv=nominera, "
        "kandidat; fr=nommer, candidat",
    ),
    (
        "election",
        "elect",
        "en=elect, elected; de=wählen, gewählt; nl=kiezen, verkiezen, "
        "gekozen; nb=velge, valgt; da=vælge, valgt; sv=välja, vald; fr=élire, élu",
    ),
)

# Vague quantities and the range of values they allow (low, high).
VAGUE_QUANTITIES: dict[str, tuple[float, float]] = {
    **dict.fromkeys(
        _list("dozens dutzende dutzenden tientallen dusinvis titalls dussintals dizaines"),
        (13.0, 99.0),
    ),
    **dict.fromkeys(
        _list("hundreds hunderte hunderten honderden hundrevis hundredvis hundratals centaines"),
        (101.0, 999.0),
    ),
    **dict.fromkeys(
        _list("thousands tausende tausenden duizenden tusenvis tusindvis tusentals milliers"),
        (1001.0, 999_999.0),
    ),
    **dict.fromkeys(
        _list("zehntausende tienduizenden titusenvis titusindvis tiotusentals"),
        (10_001.0, 99_999.0),
    ),
    **dict.fromkeys(
        _list("hunderttausende honderdduizenden hundretusenvis hundredtusindvis"),
        (100_001.0, 999_999.0),
    ),
    **dict.fromkeys(
        _list("millions millionen miljoenen millionvis millioner miljontals"),
        (1_000_001.0, 999_999_999.0),
    ),
    **dict.fromkeys(
        _list("billions milliarden miljarden milliardvis milliarder miljarder milliards"),
        (1e9 + 1, 1e12 - 1),
    ),
}

# Month names (January first) and weekday names (Monday first), all languages together.
MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "januar", "jänner", "januari", "janvier"),
    ("february", "februar", "februari", "février", "feber"),
    ("march", "märz", "maerz", "maart", "mars", "marts"),
    ("april", "avril"),
    ("may", "mai", "mei", "maj"),
    ("june", "juni", "juin"),
    ("july", "juli", "juillet"),
    ("august", "augustus", "augusti", "août"),
    ("september", "septembre"),
    ("october", "oktober", "octobre"),
    ("november", "novembre"),
    ("december", "dezember", "desember", "décembre"),
)
# Month abbreviations count only next to a day number or a year ("3 Sept 2024").
MONTH_ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("jan",),
    ("feb", "febr"),
    ("mar", "mrt", "mär"),
    ("apr",),
    (),
    ("jun",),
    ("jul",),
    ("aug",),
    ("sep", "sept"),
    ("oct", "okt"),
    ("nov",),
    ("dec", "dez", "des"),
)
# "may" and "march" are months only when capitalised or next to a day or year.
AMBIGUOUS_MONTHS: frozenset[str] = frozenset({"may", "march", "mars"})
WEEKDAYS: tuple[tuple[str, ...], ...] = (
    ("monday", "montag", "maandag", "mandag", "måndag", "lundi"),
    ("tuesday", "dienstag", "dinsdag", "tirsdag", "tisdag", "tysdag", "mardi"),
    ("wednesday", "mittwoch", "woensdag", "onsdag", "mercredi"),
    ("thursday", "donnerstag", "donderdag", "torsdag", "jeudi"),
    ("friday", "freitag", "vrijdag", "fredag", "vendredi"),
    ("saturday", "samstag", "sonnabend", "zaterdag", "lørdag", "lördag", "laurdag", "samedi"),
    ("sunday", "sonntag", "zondag", "søndag", "söndag", "sundag", "dimanche"),
)
# Relative days: phrase -> label. German "morgen" counts only in lower case (not "Morgen").
RELATIVE_DAYS: dict[str, str] = {
    **dict.fromkeys(("yesterday", "gestern", "gisteren", "i går", "igår", "hier"), "yesterday"),
    **dict.fromkeys(("today", "heute", "vandaag", "i dag", "idag", "aujourd hui"), "today"),
    **dict.fromkeys(
        ("tomorrow", "morgen", "i morgen", "imorgon", "i morgon", "demain"), "tomorrow"
    ),
}
# Words after which a four-digit number is a year ("in 2024", "seit 2022", "i 2023").
YEAR_CUES: frozenset[str] = frozenset(
    _list(
        "in im since seit sinds siden sedan depuis von from until till bis tot til to of van "
        "year years jahr jahres jaar år året ar aret annee year's by before after vor nach voor "
        "na för efter innen early late mid end ende anfang mitte eind begin spring summer "
        "autumn fall winter frühjahr frühling sommer herbst voorjaar najaar zomer vår høst "
        "sommeren høsten våren vinteren en et and und og och"
    )
)
# Words between two day numbers of a range ("14 to 19 May", "14 bis zum 19. Mai").
DAY_RANGE_WORDS: frozenset[str] = frozenset(
    _list("to until till through bis zum zur tot en til og and und och au et")
)
# Words allowed between a day number and its month ("22nd of March", "le 3 de mai").
DAY_MONTH_JOINERS: frozenset[str] = frozenset(_list("of the de van av"))

# German capitalises every noun, so a capitalised German word counts as a name only when no
# determiner precedes it and it does not end like a common noun.
DE_DETERMINERS: frozenset[str] = frozenset(
    _list(
        "der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins "
        "aufs dieser diese dieses diesen jeder jede jedes kein keine keinen sein seine ihr "
        "ihre unser unsere"
    )
)
DE_NOUN_ENDINGS: tuple[str, ...] = tuple(
    _list("ung heit keit schaft tion tat ismus nis ment chen ling tum ik ie ei en er e es ern te")
)
