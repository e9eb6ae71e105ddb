import Fondi
import FondiPostgres
import FondiServizi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// What each command of the `Catalogo` does on the command line: read its values, open the ledger in the
/// mode it needs (reads never write), run, print.
enum Comandi {
    static func esegui(_ inv: Invocazione) throws {
        let v = inv.valori
        guard let operazione = Operazione(inv.definizione) else { return try scrivi(inv) }
        switch operazione {
        case .inizializza: try initRegistro(v)
        case .chiudi: try chiudi(inv)
        case .importa: try importa(inv)
        case .saldi: try saldi(v)
        case .residui: try residui(v)
        case .prospetto: try prospetto(v)
        case .storia: try storia(v)
        case .esporta: try esporta(v)
        case .verifica: try verifica(v)
        case .replay: try replay(v)
        case .snapshotCrea: try snapshotCrea(v)
        case .snapshotElenca: try snapshotElenca(v)
        case .snapshotVerifica: try snapshotVerifica(v)
        case .utenteAggiungi, .utenteElenca, .utenteDisattiva, .utentePassword, .utenteToken: try Utenti.esegui(inv)
        case .serve: try Servizio.esegui(v)
        case .copia: try copia(v)
        case .scadenze: try scadenze(v)
        case .rendicontazioni: try rendicontazioni(v)
        case .rendicontazioneMostra: try rendicontazioneMostra(v)
        case .rendicontazioneConfronta: try rendicontazioneConfronta(v)
        }
    }

    // MARK: - Common values

    static func percorso(_ v: Valori) -> String {
        if let db = v.testoGrezzo("db") { return db }
        if let env = getenv("FONDI_DB"), let s = String(validatingCString: env), !s.isEmpty { return s }
        return "fondi.sqlite"
    }

    static func formato(_ v: Valori) throws -> Formato {
        let f = try v.scelta("formato", tra: Formato.allCases.map(\.rawValue), predefinita: "tabella")
        return Formato(rawValue: f)!
    }

    /// `--data` (default today), `--atto`, `--utente` (default `$USER`), `--chiave`.
    static func contesto(_ v: Valori) throws -> Contesto {
        let utente: Codice
        if v.ha("utente") {
            utente = "fondi"  // replaced by --utente in Catalogo.contesto
        } else if let u = getenv("USER").flatMap({ String(validatingCString: $0) }), !u.isEmpty {
            guard let c = Codice(validando: u) else {
                throw ErroreValore("il nome utente '\(Testo.visibile(u))' di $USER non è un codice valido (lettere senza accenti, cifre e - _ . /): indica --utente")
            }
            utente = c
        } else {
            utente = "fondi"
        }
        return try Catalogo.contesto(v, base: Contesto(data: Orologio.oggi(), atto: nil, utente: utente, chiave: nil))
    }

    static func apri(_ v: Valori, _ modo: Registro.Modo) throws -> Registro { try Registri.apri(percorso(v), modo: modo) }

    // MARK: - Writes

    static func scrivi(_ inv: Invocazione) throws {
        guard case let .scrittura(costruisci) = inv.definizione.genere else { preconditionFailure(inv.definizione.nome) }
        let v = inv.valori
        let formato = try formato(v)
        // `--prova` (rendiconta): every rule applied, the events shown, nothing written.
        let prova = inv.definizione.campo("prova") != nil && v.flag("prova")
        var contesto = try contesto(v)
        if prova { contesto = Contesto(data: contesto.data, atto: contesto.atto, utente: contesto.utente, chiave: nil) }
        let passo = Passo(comando: try costruisci(v), contesto: contesto)
        let registro = try apri(v, .scrittura)
        let esiti = try registro.registra([passo], prova: prova)
        // A rendicontazione shows the figures it sends; with --prova only them (nothing was written).
        if let righe = Rendicontazioni.righe(esiti) {
            if formato == .json { return Uscita.stampa(Rendicontazioni.json(esiti, prova: prova).testoCanonico) }
            if !prova { Uscita.stampa(Uscita.esiti(esiti, formato: formato, registro: registro)) }
            let titolo = prova ? "prova: nulla è stato scritto; la rendicontazione invierebbe queste cifre" : "cifre inviate"
            return Uscita.stampa(Uscita.tabelle([righe], formato: formato, titoli: ["righe": titolo], adattando: formato == .tabella))
        }
        Uscita.stampa(Uscita.esiti(esiti, formato: formato, registro: registro))
    }

    static func chiudi(_ inv: Invocazione) throws {
        guard case let .scrittura(costruisci) = inv.definizione.genere else { return }
        let v = inv.valori
        let formato = try formato(v)
        let prova = v.flag("prova")
        var contesto = try contesto(v)
        if prova { contesto = Contesto(data: contesto.data, atto: contesto.atto, utente: contesto.utente, chiave: nil) }
        let comando = try costruisci(v)
        let registro = try apri(v, .scrittura)
        let esiti = try registro.registra([Passo(comando: comando, contesto: contesto)], prova: prova)
        let candidati = prova ? try registro.candidatiRiaccertamento(esercizio: try v.anno("esercizio")) : []
        Uscita.stampa(Uscita.chiusura(esiti[0], prova: prova, formato: formato, candidati: candidati))
    }

    static func importa(_ inv: Invocazione) throws {
        let v = inv.valori
        let formato = try formato(v)
        let file = inv.argomento!
        let base = try contesto(v)
        let importazione = try Importazione(percorso: file, base: base)
        let registro = try apri(v, .scrittura)
        // The key of a whole file binds its bytes: hashed in a first streaming pass, only when a key is given.
        let contenuto = try base.chiave.map { ($0.testo, "{\"comando\":\"importa\",\"sha256\":\"\(try Uscita.impronta(file: file))\"}") }
        let avanzamento = Avanzamento(totale: importazione.dimensione, formato: formato, unita: "byte", mostraRighe: true)
        defer { avanzamento.fine() }
        let parallelo = ImportazioneInParallelo(importazione)
        defer { parallelo.chiudi() }
        var applicate = 0
        let r = try registro.registra(flusso: {
            let p = try parallelo.prossimo()
            if p != nil { applicate += 1 }
            avanzamento.imposta(fatti: parallelo.byteLetti, righe: applicate)
            return p
        }, chiaveComplessiva: contenuto)
        avanzamento.fine()
        let righe = r.ripetuto && r.passi == 0 ? parallelo.righe : r.passi
        switch formato {
        case .json:
            Uscita.stampa(Risultati.lotto(righe: righe, r).testoCanonico)
        case .csv:
            Uscita.stampa("righe,eventi,primo_seq,ultimo_seq\n\(righe),\(r.eventi),\(r.primo?.seq ?? 0),\(r.ultimo?.seq ?? 0)")
        case .tabella:
            let intervallo = r.primo.flatMap { p in r.ultimo.map { " (seq \(p.seq)–\($0.seq), hash \($0.hash))" } } ?? ""
            let conteggio = "\(Uscita.numero(righe, "riga", "righe")), \(Uscita.numero(r.eventi, "evento", "eventi"))"
            Uscita.stampa(r.ripetuto ? "già importato, nulla è stato scritto: \(conteggio)\(intervallo)"
                : (righe == 1 ? "importata " : "importate ") + conteggio + intervallo)
        }
    }

    /// `fondi copia --da ORIGINE --a DESTINAZIONE`: the whole ledger into an empty one (ADR 0020).
    static func copia(_ v: Valori) throws {
        let formato = try formato(v)
        guard let da = v.testoGrezzo("da"), let a = v.testoGrezzo("a") else { throw ErroreUso("indica --da e --a") }
        let origine = try Registri.apri(da, modo: .lettura)
        let destinazione = try Registri.inizializza(a).registro
        let r = try Avanzamento.esegui(totale: try origine.numeroEventi(), formato: formato, unita: "eventi copiati") { a in
            try origine.copia(in: destinazione) { _ in a.passo() }
        }
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto(["da": .stringa(origine.percorso), "a": .stringa(destinazione.percorso), "eventi": .intero(r.eventi),
                                              "hash": .stringa(r.testa), "chiavi": .intero(Int64(r.chiavi))]).testoCanonico)
        case .csv:
            Uscita.stampa("da,a,eventi,hash,chiavi\n\(Rendering.campoCSV(origine.percorso)),\(Rendering.campoCSV(destinazione.percorso)),\(r.eventi),\(r.testa),\(r.chiavi)")
        case .tabella:
            Uscita.stampa("copiati \(Uscita.numero(Int(r.eventi), "evento", "eventi")) da \(origine.percorso) a \(destinazione.percorso); "
                + "catena verificata da entrambe le parti, hash di testa \(r.testa)")
        }
    }

    static func initRegistro(_ v: Valori) throws {
        let formato = try formato(v)
        let (registro, creato) = try Registri.inizializza(percorso(v))
        let eventi = try registro.numeroEventi()
        // As shown: a PostgreSQL address without its password.
        let p = registro.percorso
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto(["db": .stringa(p), "creato": .booleano(creato), "eventi": .intero(eventi)]).testoCanonico)
        case .csv:
            Uscita.stampa("db,creato,eventi\n\(Rendering.campoCSV(p)),\(creato),\(eventi)")
        case .tabella:
            Uscita.stampa(creato ? "registro creato: \(p)" : "registro già esistente, nessuna modifica: \(p) (\(Uscita.numero(Int(eventi), "evento", "eventi")))")
        }
    }

    // MARK: - Reports

    /// `--formato xlsx --uscita FILE`: the workbook; nil for the other formats.
    static func cartella(_ v: Valori) throws -> String? {
        guard v.testoGrezzo("formato") == "xlsx" else {
            if v.ha("uscita") { throw ErroreValore("--uscita si usa con --formato xlsx") }
            return nil
        }
        guard let uscita = v.testoGrezzo("uscita"), !uscita.isEmpty else {
            throw ErroreValore("--formato xlsx vuole --uscita FILE.xlsx (il file della cartella di lavoro da scrivere)")
        }
        return uscita
    }

    /// Prints a report's tables (or writes them as a workbook), with the columns of `--colonne`.
    static func stampa(_ tabelle: [Tabella], _ v: Valori, titoli: [String: String] = [:]) throws {
        let colonne = v.testoGrezzo("colonne")
        let scelte = try colonne.map { try Colonne.scegli($0, in: tabelle) } ?? tabelle
        if let uscita = try cartella(v) {
            try Xlsx.scrivi(scelte, in: uscita)
            Uscita.stampa("scritta la cartella di lavoro \(uscita): \(Uscita.numero(scelte.count, "foglio", "fogli")), \(Uscita.numero(scelte.map(\.righe.count).reduce(0, +), "riga", "righe"))")
            return
        }
        Uscita.stampa(Uscita.tabelle(scelte, formato: try formato(v), titoli: titoli, adattando: colonne == nil))
    }

    /// A report: the use case parses and checks the options, the store gives the state, the tables are printed.
    /// `scegli`: which of the tables this output carries.
    static func rapporto(_ v: Valori, _ tipo: TipoRapporto, titoli: [String: String], scegli: (RichiestaRapporto, [Tabella]) -> [Tabella] = { $1 }) throws {
        _ = try cartella(v)
        if v.testoGrezzo("formato") != "xlsx" { _ = try formato(v) }
        // Every value is checked before any work: a bad code is refused before a replay, not after it.
        let richiesta = try RichiestaRapporto(tipo, v)
        let stato = try richiesta.stato(try apri(v, .lettura), avviso: Uscita.errore)
        try stampa(scegli(richiesta, try richiesta.tabelle(stato)), v, titoli: titoli)
        // Cassa below zero is shown and flagged, never refused (DOMAIN §9.3): a note under human tables.
        if v.testoGrezzo("formato") == nil || v.testoGrezzo("formato") == "tabella" {
            let fonte = try richiesta.filtri(stato).fonte
            let negative = stato.cassaNegativa().filter { fonte == nil || fonte == $0.fonte }
            if !negative.isEmpty {
                let larghezza = negative.map(\.fonte.count).max() ?? 0
                Uscita.stampa("attenzione: cassa negativa (pagato oltre il riscosso: il capofila sta anticipando)\n"
                              + negative.map { "  " + $0.fonte + String(repeating: " ", count: larghezza - $0.fonte.count + 2) + Importo.formatoItaliano($0.cassa) }
                                .joined(separator: "\n"))
            }
        }
    }

    static func saldi(_ v: Valori) throws { try rapporto(v, .saldi, titoli: [:]) }

    static func residui(_ v: Valori) throws {
        let soloCSV = v.testoGrezzo("formato") == "csv"
        try rapporto(v, .residui, titoli: [
            "fonti": "Fonti: disponibile da riportare (libero) e residui passivi",
            "impegni": "Impegni con somme da pagare",
            "attivi": "Accertamenti con somme da riscuotere (residui attivi se dell'esercizio chiuso)",
        ]) { r, tabelle in
            // CSV is one table per output (DOMAIN §7): the impegni, or the fonti with --sezione fonti.
            soloCSV ? tabelle.filter { $0.nome == r.sezione } : tabelle
        }
    }

    static func prospetto(_ v: Valori) throws {
        try rapporto(v, .prospetto, titoli: [
            "fonti": "Prospetto per fonte di finanziamento (residui passivi e disponibile da riportare non vanno sommati)",
            "totale": "Totale",
        ])
    }

    // MARK: - Scadenze e rendicontazioni (DOMAIN §10)

    static func scadenze(_ v: Valori) throws {
        _ = try cartella(v)
        if v.testoGrezzo("formato") != "xlsx" { _ = try formato(v) }
        let richiesta = try RichiestaScadenze(v)
        let valutate = try richiesta.valuta(try apri(v, .lettura), oggi: Orologio.oggi(), avviso: Uscita.errore)
        try stampa([RichiestaScadenze.tabella(valutate)], v, titoli: ["righe": "Scadenze"])
    }

    static func rendicontazioni(_ v: Valori) throws {
        _ = try cartella(v)
        if v.testoGrezzo("formato") != "xlsx" { _ = try formato(v) }
        let destinatario = try v.codiceOpzionale("destinatario")?.testo
        let stato = try apri(v, .lettura).vista(al: nil, fino: nil, impegni: false, avviso: Uscita.errore)
        try stampa([Rendicontazioni.elenco(stato, destinatario: destinatario)], v, titoli: ["righe": "Rendicontazioni inviate"])
    }

    static func rendicontazioneMostra(_ v: Valori) throws {
        _ = try cartella(v)
        if v.testoGrezzo("formato") != "xlsx" { _ = try formato(v) }
        let (r, tabelle) = try Rendicontazioni.mostra(try v.codice("numero").testo, try apri(v, .lettura), avviso: Uscita.errore)
        if v.testoGrezzo("formato") == "json" { return Uscita.stampa(Rendicontazioni.json(r, tabelle).testoCanonico) }
        // CSV and xlsx carry the righe (DOMAIN §10.2); the table shows each fonte's figures down the page, then the rettifiche.
        if v.testoGrezzo("formato") == "csv" || v.testoGrezzo("formato") == "xlsx" { return try stampa([tabelle[0]], v) }
        let perFonte = Rendicontazioni.perFonte(r, tabelle[0])
        var titoli = Dictionary(uniqueKeysWithValues: perFonte.map { ($0.nome, "\($0.nome): cifre inviate e, accanto, le stesse al \(r.al.italiano) oggi") })
        titoli["rettifiche"] = "Rettifiche: eventi registrati dopo l'invio, datati entro il \(r.al.italiano)"
        Uscita.stampa("Rendicontazione \(r.numero) a \(r.destinatario) al \(r.al.italiano) (evento \(r.seq) del \(r.data.italiano))" + (r.motivo.map { ", motivo: \($0)" } ?? ""))
        try stampa(perFonte + [tabelle[1]], v, titoli: titoli)
    }

    static func rendicontazioneConfronta(_ v: Valori) throws {
        _ = try cartella(v)
        if v.testoGrezzo("formato") != "xlsx" { _ = try formato(v) }
        let (_, tabella, titolo) = try Rendicontazioni.confronta(try v.codice("numero").testo, try apri(v, .lettura), avviso: Uscita.errore)
        try stampa([tabella], v, titoli: ["righe": titolo])
    }

    static func storia(_ v: Valori) throws {
        let xlsx = try cartella(v) != nil
        let formato = xlsx ? .csv : try formato(v)
        let richiesta = try RichiestaStoria(v)
        let scelti = try richiesta.eventi(try apri(v, .lettura))
        switch formato {
        case .json: Uscita.stampa(RichiestaStoria.json(scelti).testoCanonico)
        case .csv, .tabella: try stampa([RichiestaStoria.tabella(scelti, conUtente: false)], v)
        }
    }

    // MARK: - The ledger itself

    static func esporta(_ v: Valori) throws {
        _ = try v.scelta("formato", tra: ["json"], predefinita: "json")
        let fino = try v.seq("fino-a")
        let registro = try apri(v, .lettura)
        if let fino { try Vista.controllaFino(fino, registro) }
        var buffer = ""
        try registro.leggiEventi(fino: fino) { e in
            buffer += e.oggettoEsportato.testoCanonico
            buffer += "\n"
            if buffer.utf8.count > 1 << 16 { Uscita.stampa(buffer); buffer = "" }
        }
        if !buffer.isEmpty { Uscita.stampa(buffer) }
    }

    /// Opens for `verifica`: a file that is not a readable Fondi ledger at all is an integrity failure
    /// naming the file (exit 3), except a missing one.
    static func apriPerVerifica(_ v: Valori) throws -> Registro {
        let p = IndirizzoPostgres.senzaPassword(percorso(v))
        do {
            return try apri(v, .lettura)
        } catch let e as Registro.ErroreApertura {
            if case .assente = e { throw e }
            throw VerificaFallita(messaggio: "il file '\(p)' non è un registro Fondi leggibile: \(e.description)")
        } catch let e as ErroreArchivio {
            throw danneggiato(p, e)
        }
    }

    /// A store error during `verifica`: on a file, damage (exit 3); on a PostgreSQL address, a server that cannot
    /// be reached or refuses is the engine's error as any command reports it, not a damaged ledger.
    static func danneggiato(_ p: String, _ e: ErroreArchivio) -> any Error {
        if IndirizzoPostgres.riconosce(p), e.codice != 11 { return e }
        return VerificaFallita(messaggio: "il file '\(IndirizzoPostgres.senzaPassword(p))' è danneggiato: \(e.messaggio)")
    }

    static func integro<T>(_ p: String, _ corpo: () throws -> T) throws -> T {
        do { return try corpo() } catch let e as ErroreArchivio {
            throw danneggiato(p, e)
        }
    }

    static func verifica(_ v: Valori) throws {
        let formato = try formato(v)
        let cercato = try v.testoGrezzo("digest").map { d -> [UInt8] in
            guard let b = Catena.byteDaEsadecimale(d) else { throw ErroreValore("--digest '\(Testo.visibile(d))' non valido: attese 64 cifre esadecimali") }
            return b
        }
        let registro = try apriPerVerifica(v)
        let r = try integro(percorso(v)) {
            try Avanzamento.esegui(totale: try registro.numeroEventi(), formato: formato) { a in
                try registro.verifica(digest: cercato, ogniEvento: { _ in a.passo() })
            }
        }
        let esito = r.differenze.isEmpty && (cercato == nil || r.digestSeq != nil)
        switch formato {
        case .json:
            Uscita.stampa(Risultati.verifica(r, digest: cercato).testoCanonico)
        case .csv:
            Uscita.stampa("esito,eventi,testa,digest_seq\n\(esito ? "ok" : "errore"),\(r.eventi),\(r.testa),\(r.digestSeq.map(String.init) ?? "")")
        case .tabella:
            if r.differenze.isEmpty {
                Uscita.stampa("catena integra: \(Uscita.numero(Int(r.eventi), "evento", "eventi")), hash di testa \(r.testa)\nproiezioni coerenti con la ricostruzione dagli eventi")
            }
            if let d = v.testoGrezzo("digest"), let s = r.digestSeq {
                Uscita.stampa("il digest \(d) corrisponde all'evento seq \(s)")
            }
        }
        if !r.differenze.isEmpty {
            throw VerificaFallita(messaggio: "proiezioni o istantanee non coerenti con gli eventi:\n  " + r.differenze.joined(separator: "\n  "))
        }
        if let d = v.testoGrezzo("digest"), r.digestSeq == nil {
            throw VerificaFallita(messaggio: "il digest \(d) non compare nella catena di \(Uscita.numero(Int(r.eventi), "evento", "eventi"))")
        }
    }

    static func replay(_ v: Valori) throws {
        let formato = try formato(v)
        let fino = try v.seq("fino-a")
        let registro = try apri(v, .lettura)
        let ultimo = try registro.numeroEventi()
        if let fino { try Vista.controllaFino(fino, registro) }
        let r = try integro(percorso(v)) {
            try Avanzamento.esegui(totale: fino ?? ultimo, formato: formato) { a in
                try registro.replay(fino: fino, avviso: Uscita.errore, ogniEvento: { _ in a.passo() })
            }
        }
        let secondi = r.secondiRicostruzione
        let confronto = Int64(r.secondiConfronto * 1000)
        let digest = Registro.digest(r.stato)
        let velocita = Int64(Double(r.eventi) / max(secondi, 1e-9))
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto([
                "seq": .intero(r.seq), "eventi": .intero(r.eventi), "da_istantanea": r.daIstantanea.map(ValoreJSON.intero) ?? .nullo,
                "millisecondi": .intero(Int64(secondi * 1000)), "eventi_al_secondo": .intero(velocita), "digest": .stringa(digest),
                "millisecondi_confronto": .intero(confronto),
                "confrontato": .booleano(r.confrontato), "differenze": .lista(r.differenze.map(ValoreJSON.stringa)),
            ]).testoCanonico)
        case .csv:
            Uscita.stampa("seq,eventi,da_istantanea,millisecondi,eventi_al_secondo,digest\n\(r.seq),\(r.eventi),\(r.daIstantanea.map(String.init) ?? ""),\(Int64(secondi * 1000)),\(velocita),\(digest)")
        case .tabella:
            let origine = r.daIstantanea.map { "dall'istantanea al seq \($0)" } ?? "dal primo evento"
            Uscita.stampa("""
                stato al seq \(r.seq) ricostruito \(origine): \(Uscita.numero(Int(r.eventi), "evento", "eventi")) in \(Int64(secondi * 1000)) ms (\(velocita) eventi/s)
                digest dello stato: \(digest)
                \(r.confrontato ? (r.differenze.isEmpty ? "proiezioni registrate coerenti con la ricostruzione (confronto: \(confronto) ms)" : "") : "(stato passato: nessun confronto con le proiezioni correnti)")
                """)
        }
        if !r.differenze.isEmpty {
            throw VerificaFallita(messaggio: "proiezioni non coerenti con gli eventi:\n  " + r.differenze.joined(separator: "\n  "))
        }
    }

    static func snapshotCrea(_ v: Valori) throws {
        let formato = try formato(v)
        let registro = try apri(v, .scrittura)
        let info = try Avanzamento.esegui(totale: try registro.numeroEventi(), formato: formato) { a in
            try registro.creaIstantanea(avviso: Uscita.errore, ogniEvento: { _ in a.passo() })
        }
        // And the periodic ones the ledger lacks (every Registro.passoIstantanee events), which date-filtered
        // views start from (ADR 0016).
        let periodiche = try registro.creaIstantaneePeriodiche(avviso: Uscita.errore)
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto(["seq": .intero(info.seq), "digest": .stringa(info.digest), "byte": .intero(info.byte),
                                              "creata_il": .stringa(info.creataIl),
                                              "periodiche": .lista(periodiche.map(ValoreJSON.intero))]).testoCanonico)
        case .csv: Uscita.stampa("seq,digest,byte,creata_il\n\(info.seq),\(info.digest),\(info.byte),\(info.creataIl)")
        case .tabella:
            Uscita.stampa("istantanea creata al seq \(info.seq): \(info.byte) byte, digest \(info.digest)")
            if !periodiche.isEmpty {
                Uscita.stampa("istantanee periodiche create: \(periodiche.count) (ogni \(Registro.passoIstantanee) eventi, per le viste --al)")
            }
        }
    }

    static func snapshotElenca(_ v: Valori) throws {
        let formato = try formato(v)
        let elenco = try apri(v, .lettura).istantanee()
        var t = Tabella(nome: "istantanee", colonne: ["seq", "creata_il", "digest", "byte", "integra"])
        for i in elenco { t.righe.append([.intero(i.seq), .testo(i.creataIl), .testo(i.digest), .intero(i.byte), .booleano(i.integra)]) }
        Uscita.stampa(Uscita.tabelle([t], formato: formato))
    }

    static func snapshotVerifica(_ v: Valori) throws {
        let formato = try formato(v)
        let registro = try apri(v, .lettura)
        let esiti = try Avanzamento.esegui(totale: try registro.numeroEventi(), formato: formato) { a in
            try registro.verificaIstantanee(ogniEvento: { _ in a.passo() })
        }
        var t = Tabella(nome: "istantanee", colonne: ["seq", "integra", "motivo"])
        for e in esiti { t.righe.append([.intero(e.seq), .booleano(e.integra), e.motivo.map(Cella.testo) ?? .nullo]) }
        Uscita.stampa(Uscita.tabelle([t], formato: formato))
        let guaste = esiti.filter { !$0.integra }
        if !guaste.isEmpty {
            throw VerificaFallita(messaggio: "istantanee non valide ai seq \(guaste.map { String($0.seq) }.joined(separator: ", ")): vengono ignorate; ricreale con 'fondi snapshot crea'")
        }
    }
}
