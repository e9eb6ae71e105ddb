import Fondi

/// The kind of value an option takes: what its help says, and how `Valori` converts it.
public enum TipoCampo: Sendable, Equatable {
    case codice, testo, importo, anno, data, seq, flag, percorso, porta, secondi, percentuale, giorni
    case scelta([String])

    /// The placeholder shown in usage lines.
    var segnaposto: String {
        switch self {
        case .codice: "CODICE"
        case .testo: "TESTO"
        case .importo: "IMPORTO"
        case .anno: "AAAA"
        case .data: "AAAA-MM-GG"
        case .seq: "SEQ"
        case .flag: ""
        case .percorso: "FILE"
        case .porta: "PORTA"
        case .secondi: "SECONDI"
        case .percentuale: "PERCENTUALE"
        case .giorni: "GIORNI"
        case let .scelta(v): v.joined(separator: "|")
        }
    }

    /// The format, said once in every option's help.
    public var formato: String {
        switch self {
        case .codice: "lettere senza accenti, cifre e - _ . /, fino a 64 caratteri"
        case .testo: "testo libero, fino a 500 caratteri"
        case .importo: "in euro, es. 1.234,56 oppure 1234,56 o 1234.56"
        case .anno: "anno di quattro cifre"
        case .data: "data AAAA-MM-GG"
        case .seq: "numero di evento, da 1"
        case .flag: "senza valore"
        case .percorso: "percorso di un file"
        case .porta: "numero da 0 a 65535"
        case .secondi: "secondi, da 1 a 9999"
        case .percentuale: "percentuale intera, da 1 a 100"
        case .giorni: "numero di giorni, da 0"
        case let .scelta(v): v.joined(separator: ", ")
        }
    }
}

/// One option of a command. Its `nome` is the long option (`--nome`) and the `importa` key alike.
public struct Campo: Sendable, Equatable {
    public let nome: String
    public let tipo: TipoCampo
    public let obbligatorio: Bool
    public let aiuto: String

    public init(_ nome: String, _ tipo: TipoCampo, obbligatorio: Bool = false, _ aiuto: String) {
        self.nome = nome
        self.tipo = tipo
        self.obbligatorio = obbligatorio
        self.aiuto = aiuto
    }
}

/// What a command does with the ledger: a write builds a domain `Comando` from its values.
public enum Genere: Sendable {
    case scrittura(@Sendable (Valori) throws -> Comando)
    case lettura
}

/// One command of DOMAIN §7: its name as typed, its options, and (for writes) how its values become a
/// `Comando`. The CLI parses command lines against it, `importa` parses lines against it, the help is
/// printed from it: one definition, nothing else to keep in step.
public struct DefinizioneComando: Sendable {
    public let nome: String
    public let sintesi: String
    public let campi: [Campo]
    public let genere: Genere
    /// A positional argument (`importa FILE`), with its name for usage lines.
    public let argomento: String?
    /// Whether `--atto` is required (the synopsis lists it); checked as a rule, exit 1.
    public let conAtto: Bool

    init(_ nome: String, _ sintesi: String, campi: [Campo], genere: Genere = .lettura, argomento: String? = nil, conAtto: Bool = false) {
        self.nome = nome
        self.sintesi = sintesi
        self.genere = genere
        self.argomento = argomento
        self.conAtto = conAtto
        var tutti = campi
        switch genere {
        case .scrittura: tutti += Catalogo.comuniScrittura(atto: conAtto)
        case .lettura: break
        }
        for c in Catalogo.comuniSempre where !tutti.contains(where: { $0.nome == c.nome }) { tutti.append(c) }
        self.campi = tutti
    }

    public var scrive: Bool { if case .scrittura = genere { true } else { false } }

    public func campo(_ nome: String) -> Campo? { campi.first { $0.nome == nome } }
}

/// Every command of the ledger, in the order the help lists them.
public enum Catalogo {
    /// Options of every write command (DOMAIN §7).
    static func comuniScrittura(atto: Bool) -> [Campo] {
        [
            Campo("data", .data, "data contabile dell'atto (predefinita: oggi)"),
            Campo("atto", .testo, "atto di riferimento, es. \"Det. 145/2023\""),
            Campo("chiave", .codice, "chiave di idempotenza: ripetere il comando con la stessa chiave non scrive nulla"),
            Campo("utente", .codice, "chi registra (predefinito: $USER)"),
        ]
    }

    /// Options of every command: the ledger and the output format.
    static let comuniSempre: [Campo] = [
        Campo("db", .percorso, "file del registro (predefinito: $FONDI_DB, altrimenti ./fondi.sqlite)"),
        Campo("formato", .scelta(["tabella", "json", "csv"]), "formato di uscita (predefinito: tabella)"),
    ]

    static let filtri: [Campo] = [
        Campo("fonte", .codice, "solo questa fonte"),
        Campo("servizio", .codice, "solo questo servizio"),
        Campo("esercizio", .anno, "solo questo esercizio"),
    ]
    static let tempo: [Campo] = [
        Campo("al", .data, "vista contabile: solo gli eventi datati fino a questo giorno"),
        Campo("fino-a", .seq, "ciò che il registro sapeva dopo l'evento SEQ"),
    ]
    static let rapporto: [Campo] = [
        Campo("colonne", .testo, "colonne da mostrare, separate da virgole (nomi JSON, es. fonte,libero)"),
        Campo("uscita", .percorso, "file della cartella di lavoro da scrivere (con --formato xlsx)"),
    ]
    static let formatoRapporto = Campo("formato", .scelta(["tabella", "json", "csv", "xlsx"]), "formato di uscita (predefinito: tabella); xlsx vuole --uscita")

    static func linea(_ v: Valori) throws -> LineaChiave {
        LineaChiave(fonte: try v.codice("fonte"), servizio: try v.codice("servizio"), esercizio: try v.anno("esercizio"))
    }

    static let campiLinea: [Campo] = [
        Campo("fonte", .codice, obbligatorio: true, "codice della fonte"),
        Campo("servizio", .codice, obbligatorio: true, "codice del servizio"),
        Campo("esercizio", .anno, obbligatorio: true, "esercizio della linea"),
        Campo("importo", .importo, obbligatorio: true, "importo"),
    ]

    public static let tutti: [DefinizioneComando] = [
        DefinizioneComando("init", "Crea il registro (se esiste già non cambia nulla).", campi: []),
        DefinizioneComando("fonte registra", "Registra una fonte di finanziamento con il suo importo assegnato.", campi: [
            Campo("codice", .codice, obbligatorio: true, "codice della fonte, es. FNA-2023"),
            Campo("tipo", .testo, obbligatorio: true, "tipo della fonte, es. FNA, FNPS, PNRR"),
            Campo("annualita", .anno, obbligatorio: true, "annualità della fonte"),
            Campo("importo", .importo, obbligatorio: true, "importo assegnato"),
            Campo("vincolata", .flag, "fonte vincolata a una destinazione (indica questa oppure --libera)"),
            Campo("libera", .flag, "fonte libera da vincoli (indica questa oppure --vincolata)"),
            Campo("descrizione", .testo, "descrizione della fonte"),
        ], genere: .scrittura { v in
            let vincolata = v.flag("vincolata"), libera = v.flag("libera")
            guard vincolata != libera else {
                throw Rifiuto(regola: "4.11", "fonte \(Testo.visibile(v.testoGrezzo("codice") ?? "")): indica esattamente una tra --vincolata e --libera")
            }
            return .fonteRegistra(codice: try v.numero("codice"), tipo: try v.testo("tipo"), annualita: try v.anno("annualita"),
                                  importo: try v.importo("importo"), vincolata: vincolata, descrizione: try v.testoOpzionale("descrizione"))
        }, conAtto: true),
        DefinizioneComando("fonte integra", "Aumenta l'importo assegnato di una fonte.", campi: [
            Campo("codice", .codice, obbligatorio: true, "codice della fonte"),
            Campo("importo", .importo, obbligatorio: true, "importo dell'integrazione"),
        ], genere: .scrittura { v in .fonteIntegra(codice: try v.numero("codice"), importo: try v.importo("importo")) }, conAtto: true),
        DefinizioneComando("fonte riduci", "Riduce l'importo assegnato di una fonte (entro il libero).", campi: [
            Campo("codice", .codice, obbligatorio: true, "codice della fonte"),
            Campo("importo", .importo, obbligatorio: true, "importo della riduzione"),
        ], genere: .scrittura { v in .fonteRiduci(codice: try v.numero("codice"), importo: try v.importo("importo")) }, conAtto: true),
        DefinizioneComando("servizio registra", "Registra un servizio del Piano (codice e descrizione).", campi: [
            Campo("codice", .codice, obbligatorio: true, "codice del servizio, es. A1"),
            Campo("descrizione", .testo, obbligatorio: true, "descrizione del servizio"),
        ], genere: .scrittura { v in .servizioRegistra(codice: try v.numero("codice"), descrizione: try v.testo("descrizione")) }),
        DefinizioneComando("programma", "Dispone una programmazione su una linea (fonte, servizio, esercizio).", campi: campiLinea,
                           genere: .scrittura { v in .programma(linea: try linea(v), importo: try v.importo("importo")) }, conAtto: true),
        DefinizioneComando("programma disponi", "Dispone una programmazione (come 'fondi programma').", campi: campiLinea,
                           genere: .scrittura { v in .programma(linea: try linea(v), importo: try v.importo("importo")) }, conAtto: true),
        DefinizioneComando("programma riduci", "Riduce la programmazione di una linea (non sotto l'impegnato).", campi: campiLinea,
                           genere: .scrittura { v in .programmaRiduci(linea: try linea(v), importo: try v.importo("importo")) }, conAtto: true),
        DefinizioneComando("programma sposta", "Sposta programmazione tra due servizi della stessa fonte ed esercizio.", campi: [
            Campo("fonte", .codice, obbligatorio: true, "codice della fonte"),
            Campo("esercizio", .anno, obbligatorio: true, "esercizio"),
            Campo("da", .codice, obbligatorio: true, "servizio di origine"),
            Campo("a", .codice, obbligatorio: true, "servizio di destinazione"),
            Campo("importo", .importo, obbligatorio: true, "importo da spostare"),
        ], genere: .scrittura { v in
            .programmaSposta(fonte: try v.numero("fonte"), esercizio: try v.anno("esercizio"), da: try v.numero("da"), a: try v.numero("a"),
                             importo: try v.importo("importo"))
        }, conAtto: true),
        DefinizioneComando("impegna", "Assume un impegno su una linea.", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero dell'impegno, es. 2023/145"),
            Campo("fonte", .codice, obbligatorio: true, "codice della fonte"),
            Campo("servizio", .codice, obbligatorio: true, "codice del servizio"),
            Campo("esercizio", .anno, obbligatorio: true, "esercizio dell'impegno"),
            Campo("importo", .importo, obbligatorio: true, "importo dell'impegno"),
            Campo("creditore", .testo, obbligatorio: true, "creditore"),
            Campo("oggetto", .testo, obbligatorio: true, "oggetto dell'impegno"),
            Campo("cig", .testo, "codice identificativo di gara"),
            Campo("cup", .testo, "codice unico di progetto"),
            Campo("prenotazione", .codice, "prenotazione da cui si impegna (stessa linea): l'importo esce dalla prenotazione"),
        ], genere: .scrittura { v in
            .impegna(numero: try v.numero("numero"), linea: try linea(v), importo: try v.importo("importo"), creditore: try v.testo("creditore"),
                     oggetto: try v.testo("oggetto"), cig: try v.testoOpzionale("cig"), cup: try v.testoOpzionale("cup"),
                     prenotazione: try v.numeroOpzionale("prenotazione"))
        }, conAtto: true),
        DefinizioneComando("impegno riduci", "Riduce un impegno dell'esercizio aperto (entro il da liquidare).", campi: [
            Campo("impegno", .codice, obbligatorio: true, "numero dell'impegno"),
            Campo("importo", .importo, obbligatorio: true, "importo della riduzione"),
            Campo("motivo", .testo, obbligatorio: true, "motivo (ribasso, minore spesa, revoca…)"),
        ], genere: .scrittura { v in .impegnoRiduci(impegno: try v.numero("impegno"), importo: try v.importo("importo"), motivo: try v.testo("motivo")) },
           conAtto: true),
        DefinizioneComando("liquida", "Dispone una liquidazione su un impegno.", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero della liquidazione"),
            Campo("impegno", .codice, obbligatorio: true, "numero dell'impegno"),
            Campo("importo", .importo, obbligatorio: true, "importo liquidato"),
            Campo("documento", .testo, "documento (fattura, rendiconto…)"),
        ], genere: .scrittura { v in
            .liquida(numero: try v.numero("numero"), impegno: try v.numero("impegno"), importo: try v.importo("importo"),
                     documento: try v.testoOpzionale("documento"))
        }, conAtto: true),
        DefinizioneComando("liquidazione annulla", "Annulla la parte non pagata di una liquidazione.", campi: [
            Campo("liquidazione", .codice, obbligatorio: true, "numero della liquidazione"),
            Campo("importo", .importo, obbligatorio: true, "importo da annullare"),
            Campo("motivo", .testo, obbligatorio: true, "motivo dell'annullamento"),
        ], genere: .scrittura { v in
            .liquidazioneAnnulla(liquidazione: try v.numero("liquidazione"), importo: try v.importo("importo"), motivo: try v.testo("motivo"))
        }, conAtto: true),
        DefinizioneComando("paga", "Emette un mandato di pagamento su una liquidazione.", campi: [
            Campo("mandato", .codice, obbligatorio: true, "numero del mandato"),
            Campo("liquidazione", .codice, obbligatorio: true, "numero della liquidazione"),
            Campo("importo", .importo, obbligatorio: true, "importo pagato"),
        ], genere: .scrittura { v in .paga(mandato: try v.numero("mandato"), liquidazione: try v.numero("liquidazione"), importo: try v.importo("importo")) }),
        DefinizioneComando("chiudi", "Chiude un esercizio: riporta residui, economie, FPV e residui attivi; stampa l'hash di chiusura.", campi: [
            Campo("esercizio", .anno, obbligatorio: true, "esercizio da chiudere"),
            Campo("prova", .flag, "mostra cosa verrebbe registrato senza scrivere nulla"),
        ], genere: .scrittura { v in
            if v.origine == .riga, v.flag("prova") { throw ErroreValore("il campo 'prova' non si usa nelle righe da importare") }
            return .chiudi(esercizio: try v.anno("esercizio"))
        }, conAtto: true),
        DefinizioneComando("residuo elimina", "Elimina un residuo senza obbligazione sottostante; l'importo torna libero.", campi: [
            Campo("impegno", .codice, obbligatorio: true, "numero dell'impegno"),
            Campo("importo", .importo, obbligatorio: true, "importo da eliminare"),
            Campo("motivo", .testo, obbligatorio: true, "motivo dell'eliminazione"),
        ], genere: .scrittura { v in .residuoElimina(impegno: try v.numero("impegno"), importo: try v.importo("importo"), motivo: try v.testo("motivo")) },
           conAtto: true),
        DefinizioneComando("impegno reimputa", "Riaccertamento: reimputa un impegno non esigibile a un esercizio successivo (FPV).", campi: [
            Campo("impegno", .codice, obbligatorio: true, "numero dell'impegno da reimputare"),
            Campo("importo", .importo, obbligatorio: true, "importo reimputato (entro il da liquidare)"),
            Campo("esercizio", .anno, obbligatorio: true, "esercizio di esigibilità, da N+1 a N+3"),
            Campo("numero", .codice, obbligatorio: true, "numero del nuovo impegno nell'esercizio di destinazione"),
        ], genere: .scrittura { v in
            .impegnoReimputa(impegno: try v.numero("impegno"), importo: try v.importo("importo"), esercizio: try v.anno("esercizio"),
                             numero: try v.numero("numero"))
        }, conAtto: true),
        DefinizioneComando("prenota", "Prenota parte del disponibile di una linea per una procedura in corso (gara, avviso).", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero della prenotazione, es. P2023/1"),
            Campo("fonte", .codice, obbligatorio: true, "codice della fonte"),
            Campo("servizio", .codice, obbligatorio: true, "codice del servizio"),
            Campo("esercizio", .anno, obbligatorio: true, "esercizio della linea"),
            Campo("importo", .importo, obbligatorio: true, "importo prenotato"),
            Campo("oggetto", .testo, obbligatorio: true, "oggetto della procedura"),
        ], genere: .scrittura { v in
            .prenota(numero: try v.numero("numero"), linea: try linea(v), importo: try v.importo("importo"), oggetto: try v.testo("oggetto"))
        }, conAtto: true),
        DefinizioneComando("prenotazione riduci", "Riduce una prenotazione (entro il da impegnare) mentre l'esercizio è aperto.", campi: [
            Campo("prenotazione", .codice, obbligatorio: true, "numero della prenotazione"),
            Campo("importo", .importo, obbligatorio: true, "importo della riduzione"),
            Campo("motivo", .testo, obbligatorio: true, "motivo della riduzione"),
        ], genere: .scrittura { v in
            .prenotazioneRiduci(prenotazione: try v.numero("prenotazione"), importo: try v.importo("importo"), motivo: try v.testo("motivo"))
        }, conAtto: true),
        DefinizioneComando("accerta", "Registra un accertamento d'entrata su una fonte (decreto regionale, quota di un Comune).", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero dell'accertamento, es. A2023/1"),
            Campo("fonte", .codice, obbligatorio: true, "codice della fonte"),
            Campo("esercizio", .anno, obbligatorio: true, "esercizio dell'accertamento"),
            Campo("importo", .importo, obbligatorio: true, "importo accertato (entro l'assegnato della fonte)"),
            Campo("debitore", .testo, obbligatorio: true, "debitore, es. Regione Puglia o il Comune cofinanziatore"),
        ], genere: .scrittura { v in
            .accerta(numero: try v.numero("numero"), fonte: try v.numero("fonte"), esercizio: try v.anno("esercizio"),
                     importo: try v.importo("importo"), debitore: try v.testo("debitore"))
        }, conAtto: true),
        DefinizioneComando("accertamento riduci", "Riduce un accertamento (entro il da riscuotere); dopo la chiusura elimina il residuo attivo.", campi: [
            Campo("accertamento", .codice, obbligatorio: true, "numero dell'accertamento"),
            Campo("importo", .importo, obbligatorio: true, "importo della riduzione"),
            Campo("motivo", .testo, obbligatorio: true, "motivo della riduzione"),
        ], genere: .scrittura { v in
            .accertamentoRiduci(accertamento: try v.numero("accertamento"), importo: try v.importo("importo"), motivo: try v.testo("motivo"))
        }, conAtto: true),
        DefinizioneComando("incassa", "Registra una riscossione (reversale) su un accertamento.", campi: [
            Campo("reversale", .codice, obbligatorio: true, "numero della reversale d'incasso"),
            Campo("accertamento", .codice, obbligatorio: true, "numero dell'accertamento"),
            Campo("importo", .importo, obbligatorio: true, "importo riscosso"),
            Campo("documento", .testo, "documento (quietanza, provvisorio di entrata…)"),
        ], genere: .scrittura { v in
            .incassa(reversale: try v.numero("reversale"), accertamento: try v.numero("accertamento"), importo: try v.importo("importo"),
                     documento: try v.testoOpzionale("documento"))
        }),
        DefinizioneComando("scadenza fissa", "Fissa una scadenza su una fonte: impegnare, liquidare o pagare una soglia, o rendicontare, entro un termine.", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero della scadenza, es. S1"),
            Campo("fonte", .codice, obbligatorio: true, "codice della fonte"),
            Campo("tipo", .scelta(TipoScadenza.allCases.map(\.rawValue)), obbligatorio: true, "che cosa va raggiunto entro il termine"),
            Campo("termine", .data, obbligatorio: true, "ultimo giorno utile"),
            Campo("soglia", .percentuale, "percentuale da raggiungere, da 1 a 100 (predefinita: 100; non per rendicontazione)"),
            Campo("base", .scelta(BaseScadenza.allCases.map(\.rawValue)), "di che cosa è la soglia (predefinita: assegnato; non per rendicontazione)"),
            Campo("destinatario", .codice, "a chi va inviata la rendicontazione, es. MINISTERO-MULTIFONDO (solo rendicontazione)"),
            Campo("copertura", .data, "data che la rendicontazione deve coprire (solo rendicontazione)"),
        ], genere: .scrittura(scadenzaFissa), conAtto: true),
        DefinizioneComando("scadenza proroga", "Proroga una scadenza a un termine successivo.", campi: [
            Campo("scadenza", .codice, obbligatorio: true, "numero della scadenza"),
            Campo("termine", .data, obbligatorio: true, "nuovo termine, successivo a quello attuale"),
            Campo("motivo", .testo, obbligatorio: true, "motivo della proroga"),
        ], genere: .scrittura { v in
            .scadenzaProroga(scadenza: try v.numero("scadenza"), termine: try v.dataRichiesta("termine"), motivo: try v.testo("motivo"))
        }, conAtto: true),
        DefinizioneComando("scadenza revoca", "Revoca una scadenza registrata per errore (il numero resta usato).", campi: [
            Campo("scadenza", .codice, obbligatorio: true, "numero della scadenza"),
            Campo("motivo", .testo, obbligatorio: true, "motivo della revoca"),
        ], genere: .scrittura { v in .scadenzaRevoca(scadenza: try v.numero("scadenza"), motivo: try v.testo("motivo")) }, conAtto: true),
        DefinizioneComando("rendiconta", "Registra una rendicontazione: le cifre per fonte alla data di riferimento, calcolate da Fondi e conservate nell'evento.", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero della rendicontazione, es. R1"),
            Campo("destinatario", .codice, obbligatorio: true, "a chi è inviata, es. MINISTERO-MULTIFONDO, REGIONE-PUGLIA, REVISORI"),
            Campo("al", .data, obbligatorio: true, "data di riferimento delle cifre, non successiva alla data dell'atto"),
            Campo("fonti", .testo, "codici delle fonti separati da virgole, senza spazi (predefinite: tutte quelle registrate alla data)"),
            Campo("motivo", .testo, "perché una cifra è inferiore a quella inviata prima allo stesso destinatario"),
            Campo("prova", .flag, "mostra le cifre e applica ogni regola senza scrivere nulla"),
        ], genere: .scrittura(rendiconta), conAtto: true),
        DefinizioneComando("saldi", "Saldi per linea, fonte, servizio, esercizio o debitore.", campi: [
            Campo("per", .scelta(["linea", "fonte", "servizio", "esercizio", "debitore"]), "raggruppamento (predefinito: linea)"),
        ] + filtri + tempo + rapporto + [formatoRapporto]),
        DefinizioneComando("residui", "Libero per fonte, residui passivi per impegno e attivi per accertamento (mai sommati).", campi: [
            Campo("sezione", .scelta(["impegni", "fonti", "attivi"]), "con --formato csv: la tabella da scrivere (predefinita: impegni)"),
        ] + filtri + tempo + rapporto + [formatoRapporto]),
        DefinizioneComando("prospetto", "Prospetto per fonte per la Regione, con i totali (residui e libero mai sommati).",
                           campi: filtri + tempo + rapporto + [formatoRapporto]),
        DefinizioneComando("scadenze", "Le scadenze delle fonti con obiettivo, raggiunto, mancante, giorni e stato, oggi o a una data.", campi: [
            Campo("fonte", .codice, "solo le scadenze di questa fonte"),
            Campo("stato", .scelta(StatoScadenza.allCases.map(\.rawValue)), "solo le scadenze in questo stato"),
            Campo("entro", .giorni, "giorni prima del termine da cui una scadenza non raggiunta è 'a rischio' (predefinito: 60)"),
        ] + tempo + rapporto + [formatoRapporto]),
        DefinizioneComando("rendicontazioni", "Le rendicontazioni inviate, in ordine di registrazione.", campi: [
            Campo("destinatario", .codice, "solo quelle inviate a questo destinatario"),
        ] + rapporto + [formatoRapporto]),
        DefinizioneComando("rendicontazione mostra", "Una rendicontazione: le cifre inviate accanto a quelle di oggi alla stessa data, e le rettifiche successive.", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero della rendicontazione"),
        ] + rapporto + [formatoRapporto]),
        DefinizioneComando("rendicontazione confronta", "Confronta le cifre di una rendicontazione con quelle inviate prima allo stesso destinatario.", campi: [
            Campo("numero", .codice, obbligatorio: true, "numero della rendicontazione"),
        ] + rapporto + [formatoRapporto]),
        DefinizioneComando("storia", "La storia di un impegno, prenotazione, accertamento, fonte o servizio, evento per evento.", campi: [
            Campo("impegno", .codice, "solo gli eventi di questo impegno (e di quelli da cui è stato reimputato)"),
            Campo("prenotazione", .codice, "solo gli eventi di questa prenotazione e degli impegni assunti su di essa"),
            Campo("accertamento", .codice, "solo gli eventi di questo accertamento e delle sue riscossioni"),
            Campo("fonte", .codice, "solo gli eventi di questa fonte"),
            Campo("servizio", .codice, "solo gli eventi di questo servizio"),
        ] + tempo + rapporto + [formatoRapporto]),
        DefinizioneComando("importa", "Importa comandi da un file JSON Lines (.jsonl) o CSV (.csv): tutto o niente.", campi: [],
                           genere: .scrittura { _ in throw ErroreValore("importa non si usa nelle righe da importare") },
                           argomento: "FILE"),
        DefinizioneComando("esporta", "Esporta gli eventi in JSON Lines, con i loro hash.", campi: [
            Campo("fino-a", .seq, "esporta fino all'evento SEQ"),
            Campo("formato", .scelta(["json"]), "sempre JSON Lines (un oggetto per riga)"),
        ]),
        DefinizioneComando("verifica", "Ricalcola catena e proiezioni dagli eventi; con --digest prova che un hash è nella catena.", campi: [
            Campo("digest", .testo, "hash di 64 cifre esadecimali che deve comparire nella catena (es. quello stampato da 'chiudi')"),
        ]),
        DefinizioneComando("replay", "Ricostruisce lo stato dall'istantanea più vicina e lo confronta con le proiezioni.", campi: [
            Campo("fino-a", .seq, "ricostruisce lo stato dopo l'evento SEQ"),
        ]),
        // DOMAIN §8: the users of `fondi serve`, kept in the ledger file but never in the event chain.
        DefinizioneComando("utente aggiungi", "Aggiunge un utente del servizio web; la password è la prima riga dello standard input.", campi: [
            Campo("nome", .codice, obbligatorio: true, "nome dell'utente"),
            Campo("ruolo", .scelta(["consultazione", "operatore", "responsabile"]), obbligatorio: true, "ruolo dell'utente"),
            Campo("utente", .codice, "chi registra la modifica (predefinito: $USER)"),
        ]),
        DefinizioneComando("utente elenca", "Elenca gli utenti del servizio web, con ruolo e stato.", campi: []),
        DefinizioneComando("utente disattiva", "Disattiva un utente: chiude le sue sessioni e revoca i suoi token.", campi: [
            Campo("nome", .codice, obbligatorio: true, "nome dell'utente"),
            Campo("utente", .codice, "chi registra la modifica (predefinito: $USER)"),
        ]),
        DefinizioneComando("utente password", "Cambia la password di un utente (prima riga dello standard input).", campi: [
            Campo("nome", .codice, obbligatorio: true, "nome dell'utente"),
            Campo("utente", .codice, "chi registra la modifica (predefinito: $USER)"),
        ]),
        DefinizioneComando("utente token", "Crea un token per l'API e lo stampa una volta; con --revoca revoca tutti i token dell'utente.", campi: [
            Campo("nome", .codice, obbligatorio: true, "nome dell'utente"),
            Campo("revoca", .flag, "revoca tutti i token dell'utente"),
            Campo("utente", .codice, "chi registra la modifica (predefinito: $USER)"),
        ]),
        DefinizioneComando("serve", "Avvia l'applicazione web e l'API (predefinito: http://127.0.0.1:8080).", campi: [
            Campo("indirizzo", .testo, "indirizzo su cui ascoltare (predefinito: 127.0.0.1; 0.0.0.0 solo dietro un proxy)"),
            Campo("porta", .porta, "porta (predefinita: 8080; 0: una libera, che viene stampata)"),
            Campo("https-dietro-proxy", .flag, "il TLS termina su un proxy inverso: i cookie diventano Secure"),
            Campo("tempo-massimo", .secondi, "secondi concessi a una lettura prima di interromperla con 503 (predefinito: 30; verifica escluso)"),
            Campo("regione", .flag, "servizio della Regione (solo PostgreSQL): anche /regione, il prospetto di ogni ambito leggibile"),
            Campo("rotte", .flag, "non avvia nulla: stampa in JSON ogni rotta con metodo, parametri e campi che legge"),
        ]),
        DefinizioneComando("copia", "Copia un intero registro in uno vuoto, anche da un file SQLite a PostgreSQL e ritorno, verificando la catena da entrambe le parti.", campi: [
            Campo("da", .percorso, obbligatorio: true, "registro di origine: un file SQLite oppure postgres://UTENTE@HOST:PORTA/DB?ambito=CODICE"),
            Campo("a", .percorso, obbligatorio: true, "registro di destinazione, vuoto (creato se non esiste): file o postgres://…"),
        ]),
        DefinizioneComando("snapshot crea", "Registra lo stato all'ultimo evento, con il suo digest.", campi: []),
        DefinizioneComando("snapshot elenca", "Elenca le istantanee, dalla più recente, segnalando quelle danneggiate.", campi: []),
        DefinizioneComando("snapshot verifica", "Prova che ogni istantanea è uguale a una ricostruzione completa fino al suo seq.", campi: []),
    ]

    static func scadenzaFissa(_ v: Valori) throws -> Comando {
        guard let tipo = TipoScadenza(rawValue: try v.scelta("tipo", tra: TipoScadenza.allCases.map(\.rawValue), predefinita: "")) else {
            throw ErroreValore("scadenza fissa richiede --tipo (impegno, liquidazione, pagamento o rendicontazione)")
        }
        let base = try v.ha("base") ? BaseScadenza(rawValue: v.scelta("base", tra: BaseScadenza.allCases.map(\.rawValue), predefinita: "")) : nil
        // A whole percentage from 1 to 100 (the domain checks the same for any other caller); exit 1 otherwise.
        let soglia = try v.testoGrezzo("soglia").map { Int(try Lettura.intero($0, campo: v.campo("soglia"), tra: 1...100, atteso: "una percentuale intera, senza %")) }
        return .scadenzaFissa(numero: try v.numero("numero"), fonte: try v.numero("fonte"), tipo: tipo, termine: try v.dataRichiesta("termine"),
                              soglia: soglia, base: base, destinatario: try v.codiceOpzionale("destinatario"), copertura: try v.data("copertura"))
    }

    static func rendiconta(_ v: Valori) throws -> Comando {
        if v.origine == .riga, v.flag("prova") { throw ErroreValore("il campo 'prova' non si usa nelle righe da importare") }
        let fonti = try v.testoGrezzo("fonti").map { testo in
            try testo.split(separator: ",", omittingEmptySubsequences: false).map { (f) throws -> CodiceFonte in
                guard !f.isEmpty else { throw ErroreValore("\(v.campo("fonti")) '\(Testo.visibile(testo))' non valido: un codice vuoto nell'elenco (separa i codici con una virgola, senza spazi)") }
                return Numero(try Codice(String(f), campo: v.campo("fonti")))
            }
        }
        return .rendiconta(numero: try v.numero("numero"), destinatario: try v.codice("destinatario"), al: try v.dataRichiesta("al"),
                           fonti: fonti, motivo: try v.testoOpzionale("motivo"))
    }

    /// The definition for a command name as typed (`"impegno riduci"`).
    public static func definizione(_ nome: String) -> DefinizioneComando? { perNome[nome] }

    static let perNome: [String: DefinizioneComando] = Dictionary(uniqueKeysWithValues: tutti.map { ($0.nome, $0) })

    /// The first words of multi-word commands (`fonte`, `programma`, …), which are groups.
    static let gruppi: Set<String> = Set(tutti.compactMap { d in d.nome.contains(" ") ? String(d.nome.split(separator: " ")[0]) : nil })
}

/// The commands of the table that are not a plain write of the ledger (reads, the ledger's own tools, users,
/// the server), each with a handler of its own in a front end: a `switch` over them is exhaustive, and every
/// other command of the table is a `Genere.scrittura` applied through the store (tested both ways).
public enum Operazione: String, CaseIterable, Sendable {
    case inizializza = "init", chiudi, importa, saldi, residui, prospetto, storia, esporta, verifica, replay
    case snapshotCrea = "snapshot crea", snapshotElenca = "snapshot elenca", snapshotVerifica = "snapshot verifica"
    case utenteAggiungi = "utente aggiungi", utenteElenca = "utente elenca", utenteDisattiva = "utente disattiva"
    case utentePassword = "utente password", utenteToken = "utente token"
    case serve, copia
    case scadenze, rendicontazioni, rendicontazioneMostra = "rendicontazione mostra", rendicontazioneConfronta = "rendicontazione confronta"

    /// The operation a definition names, or nil for a plain write.
    public init?(_ d: DefinizioneComando) { self.init(rawValue: d.nome) }
}
