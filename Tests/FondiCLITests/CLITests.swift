// Goal: the `fondi` binary honours the DOMAIN §7 contract end to end: names, JSON shapes, exit codes, and
// "a refused command writes nothing", driven exactly as an acceptance checker would drive it.
import Fondi
import Foundation
import Testing

/// The worked example of DOMAIN §5 through the CLI, before the closing.
func esempio(_ b: Binario) throws {
    let comandi: [[String]] = [
        ["init"],
        ["fonte", "registra", "--codice", "FNA-2023", "--tipo", "FNA", "--annualita", "2023", "--importo", "100.000,00", "--atto", "DGR 1/2023", "--vincolata", "--data", "2023-01-10"],
        ["servizio", "registra", "--codice", "SAD", "--descrizione", "Assistenza domiciliare", "--data", "2023-01-10"],
        ["servizio", "registra", "--codice", "CONTR", "--descrizione", "Contributi", "--data", "2023-01-10"],
        ["programma", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "60000", "--atto", "Del. 2/2023", "--data", "2023-01-15"],
        ["programma", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "40000,00", "--atto", "Del. 2/2023", "--data", "2023-01-15"],
        ["impegna", "--numero", "2023/1", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "60.000,00", "--creditore", "Coop Alfa", "--oggetto", "SAD", "--atto", "Det. 1/2023", "--data", "2023-02-01"],
        ["impegna", "--numero", "2023/2", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "32000.00", "--creditore", "Beneficiari", "--oggetto", "Contributi", "--atto", "Det. 2/2023", "--data", "2023-02-01"],
        ["liquida", "--numero", "L1", "--impegno", "2023/1", "--importo", "20.000,00", "--atto", "Det. 10/2023", "--data", "2023-06-01"],
        ["paga", "--mandato", "M1", "--liquidazione", "L1", "--importo", "20.000,00", "--data", "2023-06-10"],
        ["liquida", "--numero", "L2", "--impegno", "2023/2", "--importo", "25.000,00", "--atto", "Det. 11/2023", "--data", "2023-06-01"],
        ["paga", "--mandato", "M2", "--liquidazione", "L2", "--importo", "25.000,00", "--data", "2023-06-10"],
    ]
    for c in comandi {
        let e = try b.esegui(c)
        #expect(e.codice == 0, "\(c): \(e.errore)")
    }
}

struct CLITests {
    @Test func esempioDiChiusuraAlCentesimo() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let linee = try b.esegui(["saldi", "--per", "linea", "--formato", "json"])
        #expect(linee.uscita.trimmingCharacters(in: .newlines) == #"{"righe":[{"disponibile":800000,"economie":0,"esercizio":2023,"fonte":"FNA-2023","fpv_entrata":0,"fpv_spesa":0,"impegnato":3200000,"liquidato":2500000,"pagato":2500000,"prenotato":0,"programmato":4000000,"servizio":"CONTR"},{"disponibile":0,"economie":0,"esercizio":2023,"fonte":"FNA-2023","fpv_entrata":0,"fpv_spesa":0,"impegnato":6000000,"liquidato":2000000,"pagato":2000000,"prenotato":0,"programmato":6000000,"servizio":"SAD"}]}"#)
        let chiusura = try b.esegui(["chiudi", "--esercizio", "2023", "--atto", "Det. chiusura", "--data", "2024-03-01", "--formato", "json"])
        #expect(chiusura.codice == 0, "\(chiusura.errore)")
        let c = try chiusura.json()
        #expect(c["residui_passivi"] == .intero(4_700_000))
        #expect(c["economie"] == .intero(800_000))
        guard case let .stringa(hash)? = c["hash"] else { Issue.record("hash mancante"); return }
        let residui = try b.esegui(["residui", "--formato", "json"]).json()
        #expect(residui == (try ValoreJSON.leggi(#"{"attivi":[],"fonti":[{"accertato":0,"annualita":2023,"assegnato":10000000,"atto":"DGR 1/2023","cassa":-4500000,"da_riscuotere":0,"economie":800000,"fonte":"FNA-2023","fpv_entrata":0,"fpv_spesa":0,"impegnato":9200000,"libero":800000,"liquidato":4500000,"pagato":4500000,"prenotato":0,"programmato":10000000,"residui_attivi":0,"residui_passivi":4700000,"riscosso":0,"tipo":"FNA","vincolata":true}],"impegni":[{"anno_provenienza":2023,"creditore":"Coop Alfa","da_liquidare":4000000,"da_pagare":4000000,"esercizio":2023,"fonte":"FNA-2023","impegnato":6000000,"impegno":"2023/1","liquidato":2000000,"pagato":2000000,"servizio":"SAD"},{"anno_provenienza":2023,"creditore":"Beneficiari","da_liquidare":700000,"da_pagare":700000,"esercizio":2023,"fonte":"FNA-2023","impegnato":3200000,"impegno":"2023/2","liquidato":2500000,"pagato":2500000,"servizio":"CONTR"}]}"#)))
        // 2024: eliminating 1.200,00 of residuo frees it on the fonte.
        #expect(try b.esegui(["residuo", "elimina", "--impegno", "2023/2", "--importo", "1.200,00", "--motivo", "non dovuto", "--atto", "Det. 5/2024", "--data", "2024-04-01"]).codice == 0)
        let fonte = try b.esegui(["saldi", "--per", "fonte", "--formato", "json"]).json()
        guard case let .lista(righe)? = fonte["righe"] else { Issue.record("righe mancanti"); return }
        #expect(righe.first?["libero"] == .intero(920_000))
        #expect(righe.first?["economie"] == .intero(920_000))
        #expect(righe.first?["residui_passivi"] == .intero(4_580_000))
        // The closing hash is proven by verifica --digest; a different one fails with exit 3.
        #expect(try b.esegui(["verifica", "--digest", hash]).codice == 0)
        #expect(try b.esegui(["verifica", "--digest", String(repeating: "0", count: 64)]).codice == 3)
        // Time travel: the view at 31/12/2023 and after seq 12 are reports of the past.
        let al = try b.esegui(["residui", "--al", "2023-12-31", "--formato", "json"]).json()
        #expect(al["fonti"].flatMap { if case let .lista(l) = $0 { l.first?["libero"] } else { nil } } == .intero(Int64(0)))
        let fino = try b.esegui(["saldi", "--per", "fonte", "--fino-a", "12", "--formato", "csv"])
        #expect(fino.uscita == "fonte,tipo,annualita,atto,vincolata,assegnato,programmato,impegnato,liquidato,pagato,residui_passivi,economie,libero,"
                + "prenotato,fpv_entrata,fpv_spesa,accertato,riscosso,da_riscuotere,residui_attivi,cassa\n"
                + "FNA-2023,FNA,2023,DGR 1/2023,true,100000.00,100000.00,92000.00,45000.00,45000.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,-45000.00\n")
    }

    @Test func valoriErratiEsconoConUnoENonScrivonoNulla() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let prima = try b.testa()
        let base = ["impegna", "--numero", "2023/9", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                    "--creditore", "C", "--oggetto", "O", "--atto", "Det. 9/2023", "--data", "2023-03-01", "--importo"]
        for importo in ["1.234", "12,345", "-5", "0", "abc", "1e5", "", "100.000.000.000,01", "8.000,01"] {
            let e = try b.esegui(base + [importo])
            #expect(e.codice == 1, "importo \(importo): \(e.errore)")
            #expect(e.errore.hasPrefix("errore: "), "\(e.errore)")
            #expect(try b.testa() == prima)
        }
        let sbagliati: [[String]] = [
            ["impegna", "--numero", "2023/1", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "1", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"],
            ["impegna", "--numero", "2023/9", "--fonte", "NON", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "1", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"],
            ["impegna", "--numero", "2023/9", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "23", "--importo", "1", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"],
            ["liquida", "--numero", "L9", "--impegno", "2023/2", "--importo", "7.000,01", "--atto", "A", "--data", "2023-07-01"],
            ["paga", "--mandato", "M9", "--liquidazione", "L1", "--importo", "0,01", "--data", "2023-07-01"],
            ["paga", "--mandato", "M9", "--liquidazione", "L2", "--importo", "1", "--data", "2023-02-30"],
            ["fonte", "registra", "--codice", "X", "--tipo", "T", "--annualita", "2023", "--importo", "1", "--atto", "A", "--data", "2023-01-10"],
            ["fonte", "registra", "--codice", "X", "--tipo", "T", "--annualita", "2023", "--importo", "1", "--atto", "A", "--vincolata", "--libera"],
            ["saldi", "--per", "mese"], ["saldi", "--formato", "xml"], ["saldi", "--fino-a", "999"], ["saldi", "--fino-a", "-1"],
            ["residui", "--al", "31/12/2023"], ["chiudi", "--esercizio", "2023", "--data", "2024-01-10"],
        ]
        for c in sbagliati {
            let e = try b.esegui(c)
            #expect(e.codice == 1, "\(c): \(e.codice) \(e.errore)")
            #expect(try b.testa() == prima, "\(c) ha scritto")
        }
        let sopra = try b.esegui(["liquida", "--numero", "L9", "--impegno", "2023/2", "--importo", "7.000,01", "--atto", "A", "--data", "2023-07-01"])
        #expect(sopra.errore == "errore: liquidazione L9: importo 7.000,01 supera il da liquidare dell'impegno 2023/2 (7.000,00)\n")
    }

    @Test func erroriDUsoEsconoConDue() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        for c in [["boh"], ["saldi", "--sconosciuta", "1"], ["impegna", "--numero", "1"], ["fonte"], ["programma", "sposta", "--fonte", "F"]] {
            let e = try b.esegui(c)
            #expect(e.codice == 2, "\(c): \(e.codice) \(e.errore)")
            #expect(e.errore.hasPrefix("errore d'uso: "))
        }
        #expect(try b.esegui(["--help"], conDb: false).codice == 0)
        #expect(try b.esegui(["impegna", "--help"], conDb: false).uscita.contains("--creditore"))
    }

    @Test func registroMancanteEInitIdempotente() throws {
        let b = try Binario()
        defer { b.pulisci() }
        let e = try b.esegui(["saldi"])
        #expect(e.codice == 1)
        #expect(e.errore.contains("fondi init"))
        #expect(!FileManager.default.fileExists(atPath: b.db))
        // $FONDI_DB and ./fondi.sqlite are the fallbacks of --db.
        #expect(try b.esegui(["init"], conDb: false, ambiente: ["FONDI_DB": b.db]).codice == 0)
        #expect(FileManager.default.fileExists(atPath: b.db))
        #expect(try b.esegui(["init", "--formato", "json"]).json()["creato"] == .booleano(false))
        #expect(try b.esegui(["init"], conDb: false).codice == 0)
        #expect(FileManager.default.fileExists(atPath: b.cartella.appendingPathComponent("fondi.sqlite").path))
    }

    @Test func importaJSONLeCSV() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let prima = try b.testa()
        let jsonl = """
            {"comando":"liquida","numero":"L3","impegno":"2023/2","importo":"1.000,00","atto":"Det. 20/2023","data":"2023-07-01"}

            {"comando":"paga","mandato":"M3","liquidazione":"L3","importo":1000,"data":"2023-07-02"}
            {"comando":"paga","mandato":"M4","liquidazione":"L3","importo":"0,01","data":"2023-07-03"}
            """
        let e = try b.esegui(["importa", try b.scriviFile("a.jsonl", jsonl)])
        #expect(e.codice == 1)
        #expect(e.errore == "errore: riga 4: mandato M4: importo 0,01 supera il liquidato non pagato della liquidazione L3 (0,00); nulla è stato importato\n")
        #expect(try b.testa() == prima)
        let malformato = try b.esegui(["importa", try b.scriviFile("b.jsonl", "{\"comando\":\"paga\",\"mandato\":\"M5\"}\n")])
        #expect(malformato.codice == 1)
        #expect(malformato.errore.hasPrefix("errore: riga 1: "))
        let csv = """
            comando,numero,impegno,importo,atto,data,mandato,liquidazione
            liquida,L5,2023/2,"1.000,00",Det. 21/2023,2023-07-01,,
            paga,,,"1.000,00",,2023-07-02,M5,L5
            """
        let ok = try b.esegui(["importa", try b.scriviFile("c.csv", csv), "--formato", "json"])
        #expect(ok.codice == 0, "\(ok.errore)")
        #expect(try ok.json()["eventi"] == .intero(2))
        let residui = try b.esegui(["residui", "--fonte", "FNA-2023", "--formato", "json"]).json()
        guard case let .lista(impegni)? = residui["impegni"] else { Issue.record("impegni mancanti"); return }
        #expect(impegni.last?["da_pagare"] == .intero(600_000))
        let fonti = try b.esegui(["fonte", "registra", "--codice", "F2", "--tipo", "T", "--annualita", "2023", "--importo", "5", "--atto", "A", "--libera", "--data", "2023-08-01", "--formato", "json"])
        #expect(fonti.codice == 0)
    }

    @Test func chiaveRipetutaNonScriveNulla() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let c = ["liquida", "--numero", "L7", "--impegno", "2023/2", "--importo", "10", "--atto", "A", "--data", "2023-07-01", "--chiave", "k-1", "--formato", "json"]
        let primo = try b.esegui(c + ["--utente", "anna"])
        let dopo = try b.testa()
        let secondo = try b.esegui(c + ["--utente", "bruno"])
        #expect(secondo.codice == 0)
        #expect(try secondo.json()["ripetuto"] == .booleano(true))
        #expect(try secondo.json()["eventi"] == (try primo.json()["eventi"]))
        #expect(try b.testa() == dopo)
        var diverso = c
        diverso[6] = "11"
        #expect(try b.esegui(diverso).codice == 1)
    }

    @Test func esportaEStoria() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let righe = try b.esegui(["esporta"]).uscita.split(separator: "\n")
        #expect(righe.count == 11)
        let primo = try ValoreJSON.leggi(String(righe[0]))
        #expect(primo["seq"] == .intero(1))
        #expect(primo["tipo"] == .stringa("FonteRegistrata"))
        #expect(primo["payload"]?["importo"] == .intero(10_000_000))
        #expect(primo["chiave"] == .nullo)
        #expect(try b.esegui(["esporta", "--fino-a", "3"]).uscita.split(separator: "\n").count == 3)
        let storia = try b.esegui(["storia", "--impegno", "2023/1", "--formato", "json"]).json()
        guard case let .lista(eventi)? = storia["eventi"] else { Issue.record("eventi mancanti"); return }
        #expect(eventi.map { $0["tipo"] } == [.stringa("ImpegnoAssunto"), .stringa("LiquidazioneDisposta"), .stringa("PagamentoEmesso")])
        #expect(try b.esegui(["storia", "--fonte", "FNA-2023", "--servizio", "SAD"]).codice == 1)
    }

    /// Several processes commit against the same line at once: none over-commits, none loses an event.
    @Test func processiConcorrentiNonSovraimpegnano() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        // CONTR has 8.000,00 disponibile: 12 processes ask 1.000,00 each, so exactly 8 must succeed.
        let processi = try (0..<12).map { i in
            try b.avvia(["impegna", "--numero", "2023/c\(i)", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                         "--importo", "1.000,00", "--creditore", "C\(i)", "--oggetto", "O", "--atto", "Det. c\(i)", "--data", "2023-03-01"])
        }
        let esiti = processi.map { $0.attendi() }
        #expect(esiti.filter { $0.codice == 0 }.count == 8, "\(esiti.map(\.errore))")
        #expect(esiti.filter { $0.codice == 1 }.count == 4)
        let linee = try b.esegui(["saldi", "--servizio", "CONTR", "--formato", "json"]).json()
        guard case let .lista(r)? = linee["righe"] else { Issue.record("righe mancanti"); return }
        #expect(r.first?["impegnato"] == .intero(4_000_000))
        #expect(r.first?["disponibile"] == .intero(0))
        #expect(try b.esegui(["verifica"]).codice == 0)
        #expect(try b.testa().hasPrefix("19 "))
    }
}

/// Year-end closing, residui, time travel and the auditor's view (issue 3), through the binary.
struct ChiusuraCLITests {
    @Test func rifiutiDellaChiusuraNonScrivonoNulla() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let prima = try b.testa()
        let casi: [([String], String)] = [
            (["chiudi", "--esercizio", "2023", "--data", "2024-03-01"], "atto mancante: 'chiudi' richiede --atto (es. --atto \"Det. 145/2023\")"),
            (["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2023-12-31"], "chiusura dell'esercizio 2023: la data 2023-12-31 deve essere successiva al 31/12/2023"),
            (["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2024-02-30"], "--data '2024-02-30' non valida: scrivi la data come AAAA-MM-GG, ad esempio 2023-02-01"),
            (["residuo", "elimina", "--impegno", "2023/2", "--importo", "1", "--motivo", "m", "--atto", "A", "--data", "2023-12-31"],
             "impegno 2023/2: l'esercizio 2023 è aperto, l'eliminazione è ammessa sui residui o nel riaccertamento dopo il 31/12/2023; nell'esercizio usa 'fondi impegno riduci'"),
            (["saldi", "--fino-a", "12"], "--fino-a 12 oltre l'ultimo evento registrato (seq 11)"),
        ]
        for (c, messaggio) in casi {
            let e = try b.esegui(c)
            #expect(e.codice == 1, "\(c)")
            #expect(e.errore == "errore: \(messaggio)\n")
            #expect(try b.testa() == prima)
        }
        // Closing 2024 before 2023 is refused; after closing 2023, eliminating more than owed is refused.
        #expect(try b.esegui(["fonte", "integra", "--codice", "FNA-2023", "--importo", "10", "--atto", "A", "--data", "2024-01-02"]).codice == 0)
        #expect(try b.esegui(["programma", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2024", "--importo", "10", "--atto", "A", "--data", "2024-01-02"]).codice == 0)
        let dopo = try b.testa()
        #expect(try b.esegui(["chiudi", "--esercizio", "2024", "--atto", "A", "--data", "2025-01-02"]).codice == 1)
        #expect(try b.testa() == dopo)
        let prova = try b.esegui(["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2024-03-01", "--prova"])
        #expect(prova.uscita.hasPrefix("PROVA di chiusura dell'esercizio 2023: nulla è stato scritto."))
        #expect(try b.testa() == dopo)
        #expect(try b.esegui(["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2024-03-01"]).codice == 0)
        let chiuso = try b.testa()
        let oltre = try b.esegui(["residuo", "elimina", "--impegno", "2023/2", "--importo", "7.000,01", "--motivo", "m", "--atto", "A", "--data", "2024-03-02"])
        #expect(oltre.errore == "errore: eliminazione del residuo 2023/2: importo 7.000,01 supera il da liquidare (7.000,00)\n")
        #expect(try b.esegui(["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2024-03-02"]).codice == 1)
        #expect(try b.esegui(["impegna", "--numero", "X", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "1",
                              "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2024-03-02"]).codice == 1)
        #expect(try b.testa() == chiuso)
        // In conto residui, liquidazioni and pagamenti continue.
        #expect(try b.esegui(["liquida", "--numero", "L9", "--impegno", "2023/2", "--importo", "7.000,00", "--atto", "A", "--data", "2024-04-01"]).codice == 0)
        #expect(try b.esegui(["paga", "--mandato", "M9", "--liquidazione", "L9", "--importo", "7.000,00", "--data", "2024-04-02"]).codice == 0)
    }

    @Test func laStessaDomandaHaSempreLaStessaRisposta() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let domande = [["residui", "--fino-a", "11", "--formato", "json"], ["saldi", "--per", "fonte", "--al", "2023-06-05", "--formato", "json"],
                       ["storia", "--fonte", "FNA-2023", "--fino-a", "11", "--formato", "json"], ["prospetto", "--fino-a", "11", "--formato", "csv"]]
        let prima = try domande.map { try b.esegui($0).uscita }
        #expect(prima.allSatisfy { !$0.isEmpty })
        #expect(try b.esegui(["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2024-03-01"]).codice == 0)
        #expect(try b.esegui(["residuo", "elimina", "--impegno", "2023/2", "--importo", "5", "--motivo", "m", "--atto", "A", "--data", "2024-04-01"]).codice == 0)
        let dopo = try domande.map { try b.esegui($0).uscita }
        #expect(prima == dopo)
        // At 5 June 2023 the liquidazioni of 1 June are known, the payments of 10 June are not.
        let al = try ValoreJSON.leggi(prima[1])
        guard case let .lista(righe)? = al["righe"] else { Issue.record("righe mancanti"); return }
        #expect(righe.first?["liquidato"] == .intero(4_500_000))
        #expect(righe.first?["pagato"] == .intero(0))
    }

    /// DOMAIN §4.12: an `--al` view is a report; it may show a state no rule was checked against.
    @Test func vistaAllaDataNonVerificaLeRegole() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        // Programmed in May, committed with a February date: on 1 March the line shows impegnato > programmato.
        #expect(try b.esegui(["programma", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "1", "--atto", "A", "--data", "2023-05-01"]).codice == 1)
        #expect(try b.esegui(["programma", "riduci", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "100", "--atto", "A", "--data", "2023-05-01"]).codice == 0)
        #expect(try b.esegui(["programma", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "50", "--atto", "A", "--data", "2023-05-01"]).codice == 0)
        #expect(try b.esegui(["programma", "sposta", "--fonte", "FNA-2023", "--esercizio", "2023", "--da", "CONTR", "--a", "SAD", "--importo", "50", "--atto", "A", "--data", "2023-05-02"]).codice == 0)
        #expect(try b.esegui(["impegna", "--numero", "2023/3", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "100",
                              "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-02-01"]).codice == 0)
        let e = try b.esegui(["saldi", "--servizio", "SAD", "--al", "2023-03-01", "--formato", "json"])
        #expect(e.codice == 0, "\(e.errore)")
        guard case let .lista(righe)? = try e.json()["righe"] else { Issue.record("righe mancanti"); return }
        #expect(righe.first?["programmato"] == .intero(6_000_000))
        #expect(righe.first?["impegnato"] == .intero(6_010_000))
        #expect(righe.first?["disponibile"] == .intero(-10_000))
    }

    @Test func lAuditorVerificaLEsportazioneSenzaFondi() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let c = try b.esegui(["chiudi", "--esercizio", "2023", "--atto", "A", "--data", "2024-03-01", "--formato", "json"]).json()
        guard case let .stringa(hash)? = c["hash"] else { Issue.record("hash mancante"); return }
        let esportazione = try b.scriviFile("registro.jsonl", try b.esegui(["esporta"]).uscita)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scripts/verifica-esportazione.py").standardized.path
        func python(_ argomenti: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", script] + argomenti
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let testo = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, testo)
        }
        let ok = try python([esportazione, "--digest", hash])
        #expect(ok.0 == 0, "\(ok.1)")
        #expect(ok.1.contains("corrisponde all'evento seq 15"))
        let alterato = try String(contentsOfFile: esportazione, encoding: .utf8).replacingOccurrences(of: "\"importo\":2500000", with: "\"importo\":2600000")
        let ko = try python([try b.scriviFile("alterato.jsonl", alterato)])
        #expect(ko.0 == 1)
        #expect(ko.1.hasPrefix("seq 10: hash ricalcolato"))
    }
}

/// Replay and snapshots through the binary (issue 4).
struct ReplayCLITests {
    @Test func replayEIstantanee() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let r = try b.esegui(["replay", "--formato", "json"])
        #expect(r.codice == 0, "\(r.errore)")
        #expect(r.errore.isEmpty, "no progress line when stderr is not a terminal")
        let j = try r.json()
        #expect(j["eventi"] == .intero(11))
        #expect(j["da_istantanea"] == .nullo)
        #expect(j["differenze"] == .lista([]))
        let crea = try b.esegui(["snapshot", "crea", "--formato", "json"]).json()
        #expect(crea["seq"] == .intero(11))
        #expect(crea["digest"] == j["digest"])
        #expect(try b.esegui(["liquida", "--numero", "L9", "--impegno", "2023/2", "--importo", "1", "--atto", "A", "--data", "2023-07-01"]).codice == 0)
        let coda = try b.esegui(["replay", "--formato", "json"]).json()
        #expect(coda["da_istantanea"] == .intero(11))
        #expect(coda["eventi"] == .intero(1))
        let passato = try b.esegui(["replay", "--fino-a", "11", "--formato", "json"]).json()
        #expect(passato["digest"] == j["digest"])
        #expect(passato["confrontato"] == .booleano(false))
        let elenco = try b.esegui(["snapshot", "elenca", "--formato", "csv"])
        #expect(elenco.uscita.hasPrefix("seq,creata_il,digest,byte,integra\n11,"))
        #expect(try b.esegui(["snapshot", "verifica"]).codice == 0)
        #expect(try b.esegui(["replay", "--fino-a", "99"]).codice == 1)
    }
}
