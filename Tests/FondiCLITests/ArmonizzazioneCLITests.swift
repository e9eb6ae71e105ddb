// Goal: the worked example of DOMAIN §9.5 through the real binary, to the cent, from the prenotazione to the
// 2024 movements that bring every figure to zero; each new command's refusals exit 1 with the Italian message
// and leave the ledger file byte-identical; storia follows prenotazioni, accertamenti and reimputazioni.
import Fondi
import Foundation
import Testing

struct ArmonizzazioneCLITests {
    static let cartella = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/esempio-9.5")

    /// Registers the fonte and the servizi and programs 2023 by commands, then imports the rest of 2023 and the
    /// riaccertamento (`esempio.jsonl`: the very lines a finance officer would type).
    static func finoAlRiaccertamento(_ b: Binario) throws {
        #expect(try b.esegui(["init"]).codice == 0)
        let e = try b.esegui(["importa", Self.cartella.appendingPathComponent("esempio.jsonl").path])
        #expect(e.codice == 0, "\(e.errore)")
    }

    /// The amounts of the FNA-2023 row of `saldi --per fonte --formato json`.
    static func fonte(_ b: Binario, _ extra: [String] = []) throws -> [String: Int64] {
        let j = try b.esegui(["saldi", "--per", "fonte", "--formato", "json"] + extra).json()
        guard case let .lista(righe)? = j["righe"], case let .oggetto(o)? = righe.first else { return [:] }
        return o.compactMapValues { if case let .intero(x) = $0 { x } else { nil } }
    }

    @Test func esempio95AttraversoIlBinario() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try Self.finoAlRiaccertamento(b)
        // chiudi --prova lists what would be appended and the impegni the riaccertamento left untouched: none here.
        let prova = try b.esegui(["chiudi", "--esercizio", "2023", "--prova", "--data", "2024-03-20", "--atto", "Del. G.C. 31/2024", "--formato", "json"]).json()
        #expect(prova["residui_passivi"] == .intero(1_540_000) && prova["economie"] == .intero(960_000) && prova["fpv"] == .intero(3_000_000))
        #expect(prova["prenotazioni_decadute"] == .intero(800_000) && prova["residui_attivi"] == .intero(3_000_000))
        #expect(prova["da_riaccertare"] == .lista([]))
        let chiusura = try b.esegui(["chiudi", "--esercizio", "2023", "--data", "2024-03-20", "--atto", "Del. G.C. 31/2024", "--formato", "json"])
        #expect(chiusura.codice == 0, "\(chiusura.errore)")
        let c = try chiusura.json()
        guard case let .lista(eventi)? = c["eventi"] else { Issue.record("eventi mancanti"); return }
        #expect(eventi.map { $0["tipo"] } == ["ResiduoRiportato", "ResiduoRiportato", "EconomiaRilevata", "EconomiaRilevata", "PrenotazioneDecaduta",
                                            "ResiduoAttivoRiportato", "EsercizioChiuso"].map { .stringa($0) })
        let esportati = try b.esegui(["esporta"]).uscita.split(separator: "\n").map { try ValoreJSON.leggi(String($0)) }
        let payload = esportati.suffix(7).map { $0["payload"] }
        #expect(payload[0] == (try ValoreJSON.leggi(#"{"anno_provenienza":2023,"importo":960000,"impegno":"2023/1"}"#)))
        #expect(payload[1] == (try ValoreJSON.leggi(#"{"anno_provenienza":2023,"importo":580000,"impegno":"2023/2"}"#)))
        #expect(payload[2] == (try ValoreJSON.leggi(#"{"esercizio":2023,"fonte":"FNA-2023","importo":920000,"servizio":"CONTR"}"#)))
        #expect(payload[3] == (try ValoreJSON.leggi(#"{"esercizio":2023,"fonte":"FNA-2023","importo":40000,"servizio":"SAD"}"#)))
        #expect(payload[4] == (try ValoreJSON.leggi(#"{"importo":800000,"prenotazione":"P2023/1"}"#)))
        #expect(payload[5] == (try ValoreJSON.leggi(#"{"accertamento":"A2023/1","anno_provenienza":2023,"importo":3000000}"#)))
        #expect(payload[6]?["fpv"] == .intero(3_000_000) && payload[6]?["residui_passivi"] == .intero(1_540_000))
        #expect(esportati.first { $0["tipo"] == .stringa("ImpegnoAssunto") }?["versione"] == .intero(2))
        #expect(esportati.last?["versione"] == .intero(2))

        // Per fonte after the closing (DOMAIN §9.5).
        let f = try Self.fonte(b)
        #expect(f["libero"] == 960_000 && f["residui_passivi"] == 1_540_000 && f["fpv_spesa"] == 3_000_000 && f["fpv_entrata"] == 3_000_000)
        #expect(f["accertato"] == 10_000_000 && f["riscosso"] == 7_000_000 && f["residui_attivi"] == 3_000_000 && f["cassa"] == 2_500_000)
        #expect(f["prenotato"] == 0 && f["da_riscuotere"] == 3_000_000)
        let sad = try b.esegui(["saldi", "--per", "linea", "--servizio", "SAD", "--esercizio", "2024", "--formato", "json"]).json()
        #expect(sad == (try ValoreJSON.leggi(#"{"righe":[{"disponibile":0,"economie":0,"esercizio":2024,"fonte":"FNA-2023","fpv_entrata":3000000,"fpv_spesa":0,"impegnato":3000000,"liquidato":0,"pagato":0,"prenotato":0,"programmato":3000000,"servizio":"SAD"}]}"#)))
        #expect(try b.esegui(["saldi", "--per", "debitore", "--formato", "json"]).json()
            == (try ValoreJSON.leggi(#"{"righe":[{"accertato":10000000,"da_riscuotere":3000000,"debitore":"Regione Puglia","riscosso":7000000}]}"#)))
        let residui = try b.esegui(["residui", "--formato", "json"]).json()
        #expect(residui["attivi"] == (try ValoreJSON.leggi(#"[{"accertamento":"A2023/1","accertato":10000000,"anno_provenienza":2023,"da_riscuotere":3000000,"debitore":"Regione Puglia","esercizio":2023,"fonte":"FNA-2023","riscosso":7000000}]"#)))
        let prospetto = try b.esegui(["prospetto", "--formato", "json"]).json()
        guard case let .lista(totale)? = prospetto["totale"] else { Issue.record("totale mancante"); return }
        #expect(totale.first?["residui_attivi"] == .intero(3_000_000) && totale.first?["cassa"] == .intero(2_500_000) && totale.first?["fpv_spesa"] == .intero(3_000_000))

        // The workbook the Region receives carries the same figures (read back by openpyxl when installed; .ci/run installs it).
        let xlsx = b.cartella.appendingPathComponent("prospetto.xlsx").path
        #expect(try b.esegui(["residui", "--formato", "xlsx", "--uscita", xlsx]).codice == 0)
        let lettore = try b.scriviFile("leggi.py", """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(wb.sheetnames)
            for ws in wb.worksheets: print([c.value for c in ws[1]]); print([c.value for c in ws[2]])
            """)
        let (codice, letto) = try Binario.python([lettore, xlsx])
        if codice == 0 {
            #expect(letto.contains("['Fonti', 'Impegni', 'Attivi']"), "\(letto)")
            #expect(letto.contains("'Residui attivi', 'Cassa']") && letto.contains("30000.0, 25000.0]"), "\(letto)")
            #expect(letto.contains("['A2023/1', 'FNA-2023', 2023, 2023, 'Regione Puglia', 100000.0, 70000.0, 30000.0]"), "\(letto)")
        } else {
            print("esempio95AttraversoIlBinario: lettura xlsx saltata, openpyxl non installato")
        }

        // storia: the reimputed impegno's trail back, the prenotazione's impegni, the accertamento's riscossioni.
        let storia = try b.esegui(["storia", "--impegno", "2024/1", "--formato", "json"]).json()
        guard case let .lista(passi)? = storia["eventi"] else { Issue.record("storia vuota"); return }
        #expect(passi.first?["tipo"] == .stringa("ImpegnoAssunto") && passi.first?["payload"]?["numero"] == .stringa("2023/1"))
        #expect(passi.contains { $0["tipo"] == .stringa("ImpegnoReimputato") && $0["payload"]?["numero"] == .stringa("2024/1") })
        let prenotazione = try b.esegui(["storia", "--prenotazione", "P2023/1", "--formato", "json"]).json()
        guard case let .lista(p)? = prenotazione["eventi"] else { Issue.record("storia vuota"); return }
        #expect(p.map { $0["tipo"] }.contains(.stringa("PrenotazioneDecaduta")) && p.map { $0["tipo"] }.contains(.stringa("ImpegnoAssunto")))
        let accertamento = try b.esegui(["storia", "--accertamento", "A2023/1", "--formato", "json"]).json()
        guard case let .lista(a)? = accertamento["eventi"] else { Issue.record("storia vuota"); return }
        #expect(a.map { $0["tipo"] } == ["AccertamentoRegistrato", "RiscossioneRegistrata", "ResiduoAttivoRiportato"].map { .stringa($0) })
        #expect(try b.esegui(["storia", "--prenotazione", "P9"]).errore == "errore: prenotazione 'P9' sconosciuta\n")

        // 2024: reprogramme and pay the libero, pay the residui and the reimputed SAD impegno, collect the rest.
        let movimenti = try b.esegui(["importa", Self.cartella.appendingPathComponent("movimenti-2024.jsonl").path])
        #expect(movimenti.codice == 0, "\(movimenti.errore)")
        let g = try Self.fonte(b)
        #expect(g["libero"] == 0 && g["residui_passivi"] == 0 && g["residui_attivi"] == 0 && g["cassa"] == 0, "\(g)")
        #expect(try b.esegui(["verifica"]).codice == 0)
        #expect(try b.esegui(["replay"]).codice == 0)
        // The past still answers as it did: after the closing's last event, and at 31/12/2023.
        let alla = try Self.fonte(b, ["--fino-a", "24"])
        #expect(alla == f)
        let al = try Self.fonte(b, ["--al", "2023-12-31"])
        #expect(al["riscosso"] == 7_000_000 && al["cassa"] == 2_500_000 && al["fpv_spesa"] == 0 && al["residui_attivi"] == 0)
        // The export checks without Fondi.
        let file = try b.scriviFile("registro.jsonl", try b.esegui(["esporta"]).uscita)
        let script = Self.cartella.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/verifica-esportazione.py").path
        #expect(try Binario.python([script, file]).codice == 0)
    }

    /// Every §9 rule refuses through the binary with exit 1 and its Italian message, leaving the file as it was.
    @Test func rifiutiNonToccanoIlFile() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try Self.finoAlRiaccertamento(b)
        let casi: [([String], String)] = [
            (["prenota", "--numero", "P2", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "400,01", "--oggetto", "O",
              "--atto", "A", "--data", "2023-12-01"], "prenotazione P2: importo 400,01 supera il disponibile della linea FNA-2023/SAD/2023 (400,00)"),
            (["prenota", "--numero", "P2023/1", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "1", "--oggetto", "O",
              "--atto", "A", "--data", "2023-12-01"], "prenotazione P2023/1 già esistente: il numero non può essere riusato"),
            (["prenotazione", "riduci", "--prenotazione", "P2023/1", "--importo", "8.000,01", "--motivo", "m", "--atto", "A", "--data", "2023-12-01"],
             "prenotazione P2023/1: riduzione 8.000,01 supera il da impegnare (8.000,00)"),
            (["impegna", "--numero", "2023/9", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "8.000,01",
              "--creditore", "C", "--oggetto", "O", "--prenotazione", "P2023/1", "--atto", "A", "--data", "2023-12-01"],
             "impegno 2023/9: importo 8.000,01 supera il disponibile della prenotazione P2023/1 (da impegnare 8.000,00)"),
            (["impegno", "reimputa", "--impegno", "2023/1", "--importo", "4.600,01", "--esercizio", "2024", "--numero", "2024/9", "--atto", "A",
              "--data", "2024-03-16"], "reimputazione dell'impegno 2023/1: importo 4.600,01 supera il da liquidare (4.600,00)"),
            (["impegno", "reimputa", "--impegno", "2023/1", "--importo", "1", "--esercizio", "2027", "--numero", "2027/1", "--atto", "A",
              "--data", "2024-03-16"], "reimputazione dell'impegno 2023/1: esercizio 2027 non ammesso, atteso tra 2024 e 2026"),
            (["liquida", "--numero", "L9", "--impegno", "2024/1", "--importo", "1", "--atto", "A", "--data", "2023-12-31"],
             "data 2023-12-31 anteriore a l'impegno 2024/1, datato 2024-03-15"),
            (["accerta", "--numero", "A2", "--fonte", "FNA-2023", "--esercizio", "2023", "--importo", "0,01", "--debitore", "Comune di Casarano",
              "--atto", "A", "--data", "2023-12-01"], "accertamento A2: importo 0,01 supera l'assegnato non ancora accertato della fonte FNA-2023 (0,00)"),
            (["incassa", "--reversale", "R9", "--accertamento", "A2023/1", "--importo", "30.000,01", "--data", "2024-03-16"],
             "reversale R9: importo 30.000,01 supera il da riscuotere dell'accertamento A2023/1 (30.000,00)"),
            (["incassa", "--reversale", "R2023/1", "--accertamento", "A2023/1", "--importo", "1", "--data", "2024-03-16"],
             "reversale R2023/1 già emessa: il numero non può essere riusato"),
            (["accertamento", "riduci", "--accertamento", "A9", "--importo", "1", "--motivo", "m", "--atto", "A", "--data", "2024-03-16"],
             "accertamento 'A9' sconosciuto"),
            (["fonte", "riduci", "--codice", "FNA-2023", "--importo", "1", "--atto", "A", "--data", "2024-03-16"],
             "fonte FNA-2023: riduzione 1,00 supera il libero della fonte (0,00)"),
            (["residuo", "elimina", "--impegno", "2023/2", "--importo", "1", "--motivo", "m", "--atto", "A", "--data", "2023-12-31"],
             "impegno 2023/2: l'esercizio 2023 è aperto, l'eliminazione è ammessa sui residui o nel riaccertamento dopo il 31/12/2023; nell'esercizio usa 'fondi impegno riduci'"),
            (["prenota", "--numero", "P3", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "1", "--oggetto", "O\u{202E}",
              "--atto", "A", "--data", "2023-12-01"], "--oggetto: il carattere U+202E non è ammesso"),
        ]
        let prima = (try b.testa(), byteDi(b.db), byteDi(b.db + "-wal"))
        for (c, messaggio) in casi {
            let e = try b.esegui(c)
            #expect(e.codice == 1, "\(c): \(e.errore)")
            #expect(e.errore.hasPrefix("errore: \(messaggio)"), "\(c): \(e.errore)")
            #expect((try b.testa(), byteDi(b.db), byteDi(b.db + "-wal")) == prima, "\(c) ha scritto")
        }
        // A whole import with one bad line writes nothing either, and names the line.
        let file = try b.scriviFile("riaccertamento.jsonl", """
            {"comando":"impegno reimputa","impegno":"2023/1","importo":"1.000,00","esercizio":2024,"numero":"2024/5","atto":"Del. G.C. 30/2024","data":"2024-03-16"}
            {"comando":"accerta","numero":"A9","fonte":"FNA-2023","esercizio":2023,"importo":"1,00","debitore":"Comune","atto":"A","data":"2023-12-01"}
            """)
        let imp = try b.esegui(["importa", file])
        #expect(imp.codice == 1 && imp.errore.contains("riga 2: accertamento A9"), "\(imp.errore)")
        #expect((try b.testa(), byteDi(b.db), byteDi(b.db + "-wal")) == prima)
    }
}
