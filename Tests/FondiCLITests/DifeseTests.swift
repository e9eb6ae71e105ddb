// Goal: every way into the ledger refuses what must not get in (issue 8): each test here failed on the
// release before it. A refused command leaves every file byte-identical.
import Fondi
import Foundation
import Testing

/// SHA-256-free fingerprint of a file's bytes (equality is all we need).
func byteDi(_ percorso: String) -> Data? { FileManager.default.contents(atPath: percorso) }

struct DifeseTests {
    /// Defect 1: `Café` and `Cafe\u{301}` were both accepted as codes and broke verifica for good.
    @Test func codiciSoloASCIIETestiInNFC() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let prima = try b.testa()
        for codice in ["Caf\u{E9}", "Cafe\u{301}", "\u{405}1", "S\u{200B}1", "S1\u{202E}", "A B", "", String(repeating: "x", count: 65)] {
            let e = try b.esegui(["servizio", "registra", "--codice", codice, "--descrizione", "x"])
            #expect(e.codice == 1, "\(codice.unicodeScalars.map { $0.value }): \(e.errore)")
            #expect(e.errore.hasPrefix("errore: --codice '"), "\(e.errore)")
        }
        #expect(try b.esegui(["servizio", "registra", "--codice", "S\u{200B}1", "--descrizione", "x"]).errore.contains("U+200B"))
        for testo in ["a\tb", "a\nb", "x\u{202E}y", "x\u{2066}y", "x\u{0378}y", "   "] {
            let e = try b.esegui(["servizio", "registra", "--codice", "NUOVO", "--descrizione", testo])
            #expect(e.codice == 1, "\(testo.unicodeScalars.map { $0.value })")
            #expect(e.errore.hasPrefix("errore: --descrizione: "), "\(e.errore)")
        }
        #expect(try b.esegui(["servizio", "registra", "--codice", "X", "--descrizione", "x\u{202E}y"]).errore.contains("U+202E"))
        #expect(try b.testa() == prima)
        // Descriptive text is stored in NFC: two spellings of one word are one word, byte for byte.
        #expect(try b.esegui(["servizio", "registra", "--codice", "CAFE", "--descrizione", "Cafe\u{301} sociale"]).codice == 0)
        let esportato = try b.esegui(["esporta"]).uscita
        #expect(esportato.utf8.contains(0xC3) && !esportato.unicodeScalars.contains("\u{301}"))
        #expect(try b.esegui(["verifica"]).codice == 0)
        #expect(try b.esegui(["snapshot", "crea"]).codice == 0)
    }

    /// Defect 2: JSON Lines with CRLF line ends were refused.
    @Test func importaConFineRigaCRLF() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let righe = "{\"comando\":\"servizio registra\",\"codice\":\"X1\",\"descrizione\":\"Uno\"}\r\n{\"comando\":\"servizio registra\",\"codice\":\"X2\",\"descrizione\":\"Due\"}\r\n"
        let e = try b.esegui(["importa", try b.scriviFile("crlf.jsonl", righe)])
        #expect(e.codice == 0, "\(e.errore)")
        #expect(e.uscita.hasPrefix("importate 2 righe, 2 eventi"))
        let una = try b.esegui(["importa", try b.scriviFile("una.jsonl", "{\"comando\":\"servizio registra\",\"codice\":\"X3\",\"descrizione\":\"Tre\"}")])
        #expect(una.uscita.hasPrefix("importata 1 riga, 1 evento"), "\(una.uscita)")
    }

    /// Italian Excel: `;`, decimal comma, BOM, CRLF.
    @Test func importaCSVDiExcelItaliano() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let csv = "\u{FEFF}comando;numero;impegno;importo;atto;data\r\nliquida;L9;2023/2;1.000,50;Det. 9/2023;2023-07-01\r\nliquida;L10;2023/2;2,5;Det. 10/2023;2023-07-01\r\n"
        let e = try b.esegui(["importa", try b.scriviFile("excel.csv", csv), "--formato", "json"])
        #expect(e.codice == 0, "\(e.errore)")
        #expect(try e.json()["eventi"] == .intero(2))
        let storia = try b.esegui(["storia", "--impegno", "2023/2", "--formato", "json"]).uscita
        #expect(storia.contains("\"importo\":100050") && storia.contains("\"importo\":250"))
    }

    /// Defect 3: a refused open changed someone else's file; a read on a 0-byte file made it a database.
    @Test func unFileAltruiRestaIdentico() throws {
        let b = try Binario()
        defer { b.pulisci() }
        let altro = b.cartella.appendingPathComponent("altro.db").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [altro, "CREATE TABLE t(x); INSERT INTO t VALUES (1);"]
        try p.run()
        p.waitUntilExit()
        let originale = try #require(byteDi(altro))
        for c in [["saldi"], ["verifica"], ["init"], ["esporta"], ["impegna", "--numero", "1", "--fonte", "F", "--servizio", "S", "--esercizio", "2023", "--importo", "1", "--creditore", "C", "--oggetto", "O", "--atto", "A"]] {
            let e = try b.esegui(c + ["--db", altro], conDb: false)
            #expect(e.codice != 0, "\(c)")
            #expect(e.errore.contains("non è un registro Fondi"), "\(c): \(e.errore)")
            #expect(byteDi(altro) == originale, "\(c) changed the file")
        }
        #expect(!FileManager.default.fileExists(atPath: altro + "-wal"))
        let vuoto = try b.scriviFile("vuoto.sqlite", "")
        for c in [["saldi"], ["residui"], ["esporta"], ["storia"]] {
            #expect(try b.esegui(c + ["--db", vuoto], conDb: false).codice == 1)
            #expect(byteDi(vuoto)?.count == 0, "\(c) wrote into a 0-byte file")
        }
        #expect(try b.esegui(["saldi"]).codice == 1)
        #expect(!FileManager.default.fileExists(atPath: b.db), "a read command created the ledger")
    }

    /// Defect 4: an auditor's read-only copy could not be read. Needs a read-only mount (root in CI).
    @Test func copiaInSolaLettura() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let punto = b.cartella.appendingPathComponent("ro").path
        try FileManager.default.createDirectory(atPath: punto, withIntermediateDirectories: true)
        func mount(_ a: [String]) -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/mount")
            p.arguments = a
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return -1 }
            p.waitUntilExit()
            return p.terminationStatus
        }
        guard mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs", punto]) == 0 else {
            print("copiaInSolaLettura: saltato, mount non permesso su questa macchina")
            return
        }
        defer { _ = mount(["-u", punto]); let u = Process(); u.executableURL = URL(fileURLWithPath: "/bin/umount"); u.arguments = [punto]; try? u.run(); u.waitUntilExit() }
        #expect(try b.esegui(["snapshot", "crea"]).codice == 0)
        let copia = punto + "/registro.sqlite"
        try FileManager.default.copyItem(atPath: b.db, toPath: copia)
        for f in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: b.db + f) {
            try FileManager.default.copyItem(atPath: b.db + f, toPath: copia + f)
        }
        // Fold the WAL into the copy, so the read-only file is the whole ledger.
        #expect(try b.esegui(["verifica", "--db", copia], conDb: false).codice == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [copia, "PRAGMA wal_checkpoint(TRUNCATE);"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(mount(["-o", "remount,ro", punto]) == 0)
        let prima = byteDi(copia)
        for c in [["saldi", "--per", "fonte"], ["residui"], ["prospetto"], ["storia"], ["esporta"], ["verifica"], ["replay"], ["snapshot", "elenca"],
                  ["saldi", "--fino-a", "3"], ["residui", "--al", "2023-03-01"], ["init"]] {
            let e = try b.esegui(c + ["--db", copia], conDb: false)
            #expect(e.codice == 0, "\(c): \(e.errore)")
        }
        #expect(try b.esegui(["impegna", "--numero", "9", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "1",
                              "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01", "--db", copia], conDb: false).codice == 1)
        #expect(byteDi(copia) == prima)
    }

    /// Defect 5 and the CLI contract: an option twice is exit 2; --db before the subcommand; --version.
    @Test func opzioniDoppieEDbPrimaDelComando() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let prima = try b.testa()
        let doppia = try b.esegui(["impegna", "--numero", "9", "--fonte", "FNA-2023", "--servizio", "SAD", "--esercizio", "2023", "--importo", "10",
                                   "--importo", "20", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"])
        #expect(doppia.codice == 2)
        #expect(doppia.errore.contains("'--importo' indicata due volte"))
        #expect(try b.testa() == prima)
        #expect(try b.esegui(["--db", b.db, "saldi", "--formato", "json"], conDb: false).codice == 0)
        #expect(try b.esegui(["--db", b.db, "saldi", "--db", b.db], conDb: false).codice == 2)
        let versione = try b.esegui(["--version"], conDb: false)
        #expect(versione.codice == 0 && versione.uscita.hasPrefix("fondi "))
        let refuso = try b.esegui(["impgna"])
        #expect(refuso.codice == 2 && refuso.errore.contains("forse 'impegna'?"))
        let opzione = try b.esegui(["saldi", "--pre", "fonte"])
        #expect(opzione.codice == 2 && opzione.errore.contains("opzione sconosciuta '--pre'") && opzione.errore.contains("forse '--per'?"))
        let manca = try b.esegui(["liquida", "--numero", "L9", "--impegno", "2023/1", "--atto", "A"])
        #expect(manca.codice == 2 && manca.errore.contains("manca l'opzione obbligatoria '--importo'"))
        // Read commands take no --atto, --chiave, --utente.
        #expect(try b.esegui(["saldi", "--atto", "A"]).codice == 2)
        #expect(try b.esegui(["verifica", "--utente", "x"]).codice == 2)
        #expect(!(try b.esegui(["saldi", "--help"]).uscita.contains("--chiave")))
    }

    /// Found in review: `--db` twice before the subcommand, a `$USER` that is not a code with `--utente`
    /// given, blank Excel rows, a line too long to be a command.
    @Test func casiLimiteDellaRevisione() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        #expect(try b.esegui(["--db", b.db, "--db", b.db, "saldi"], conDb: false).codice == 2)
        #expect(try b.esegui(["--db", "", "init"], conDb: false).codice == 2)
        let conUtente = try b.esegui(["servizio", "registra", "--codice", "U1", "--descrizione", "x", "--utente", "mrossi"],
                                     ambiente: ["USER": "mario rossi@comune"])
        #expect(conUtente.codice == 0, "\(conUtente.errore)")
        #expect(try b.esegui(["servizio", "registra", "--codice", "U2", "--descrizione", "x"], ambiente: ["USER": "mario rossi@comune"]).codice == 1)
        let vuote = "comando;codice;descrizione\r\n;;\r\nservizio registra;U3;Tre\r\n;;\r\n"
        let e = try b.esegui(["importa", try b.scriviFile("vuote.csv", vuote)])
        #expect(e.codice == 0 && e.uscita.hasPrefix("importata 1 riga"), "\(e.errore)")
        let lunga = "{\"comando\":\"servizio registra\",\"codice\":\"U4\",\"descrizione\":\"" + String(repeating: "x", count: 3 << 20) + "\"}\n"
        let prima = try b.testa()
        #expect(try b.esegui(["importa", try b.scriviFile("lunga.jsonl", lunga)]).codice == 1)
        #expect(try b.testa() == prima)
    }

    /// Defect 6: wrong exits and English or ungrammatical messages.
    @Test func messaggiECodiciDiUscita() throws {
        let b = try Binario()
        defer { b.pulisci() }
        #expect(try b.esegui(["init"]).codice == 0)
        let vuoto = try b.esegui(["snapshot", "crea"])
        #expect(vuoto.codice == 1 && !vuoto.errore.contains("FOREIGN KEY") && vuoto.errore.contains("vuoto"))
        try esempio(b)
        let cartella = b.cartella.appendingPathComponent("x.jsonl").path
        try FileManager.default.createDirectory(atPath: cartella, withIntermediateDirectories: true)
        let dir = try b.esegui(["importa", cartella])
        #expect(dir.codice == 1 && dir.errore.contains("non è un file"))
        #expect(try b.esegui(["esporta", "--formato", "xml"]).codice == 1)
        #expect(try b.esegui(["saldi", "--fonte", "NONESISTE"]).errore == "errore: fonte 'NONESISTE' sconosciuta\n")
        #expect(try b.esegui(["saldi", "--servizio", "NONESISTE"]).codice == 1)
        #expect(try b.esegui(["storia", "--impegno", "NONESISTE"]).errore == "errore: impegno 'NONESISTE' sconosciuto\n")
        let casuale = b.cartella.appendingPathComponent("casuale.sqlite").path
        FileManager.default.createFile(atPath: casuale, contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }))
        let r = try b.esegui(["verifica", "--db", casuale], conDb: false)
        #expect(r.codice == 3 && r.errore.contains(casuale), "\(r.errore)")
        // A ledger cut short: its header survives, its pages do not.
        #expect(try b.esegui(["snapshot", "crea"]).codice == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [b.db, "PRAGMA wal_checkpoint(TRUNCATE);"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let intero = try #require(byteDi(b.db))
        let troncato = b.cartella.appendingPathComponent("troncato.sqlite").path
        FileManager.default.createFile(atPath: troncato, contents: intero.prefix(intero.count / 2))
        let t = try b.esegui(["verifica", "--db", troncato], conDb: false)
        #expect(t.codice == 3 && t.errore.contains(troncato), "\(t.codice) \(t.errore)")
        let vuota = try b.esegui(["servizio", "registra", "--codice", "V", "--descrizione", " "])
        #expect(!vuota.errore.contains("vuoto") || vuota.errore.contains("testo vuoto"))
    }

    /// Defect 7: a creditore like `=HYPERLINK(…)` reached CSV verbatim and ran as a formula.
    @Test func csvSenzaFormule() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        for (n, creditore) in ["=HYPERLINK(\"http://x\",\"clic\")", "+1", "-1", "@SUM(A1)"].enumerated() {
            #expect(try b.esegui(["impegna", "--numero", "2023/\(10 + n)", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                                  "--importo", "1", "--creditore", creditore, "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"]).codice == 0)
        }
        let csv = try b.esegui(["residui", "--formato", "csv"]).uscita
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"clic\"\")\""), "\(csv)")
        #expect(csv.contains(",'+1,") && csv.contains(",'-1,") && csv.contains(",'@SUM(A1),"))
        // JSON keeps the value as recorded.
        #expect(try b.esegui(["residui", "--formato", "json"]).uscita.contains("\"creditore\":\"=HYPERLINK("))
    }

    /// A success says what was recorded and what is left.
    @Test func successoInParole() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let e = try b.esegui(["impegna", "--numero", "2023/145", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                              "--importo", "1.200,00", "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"])
        #expect(e.uscita.hasPrefix("registrato: impegno 2023/145 di 1.200,00 su FNA-2023/CONTR/2023: disponibile residuo 6.800,00"), "\(e.uscita)")
    }

    /// Tables fit 120 columns, with Italian headers; --colonne chooses.
    @Test func tabelleLeggibili() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let lunga = String(repeating: "Cooperativa sociale ", count: 12)
        #expect(try b.esegui(["impegna", "--numero", "2023/9", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023",
                              "--importo", "1", "--creditore", lunga, "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"]).codice == 0)
        for c in [["saldi", "--per", "fonte"], ["residui"], ["prospetto"], ["storia"]] {
            let t = try b.esegui(c, ambiente: ["COLUMNS": "120"]).uscita
            for riga in t.split(separator: "\n") { #expect(riga.count <= 120, "\(c): \(riga.count) colonne: \(riga)") }
        }
        let fonti = try b.esegui(["saldi", "--per", "fonte"]).uscita
        #expect(fonti.contains("Residui passivi") && fonti.contains("Libero"))
        let scelte = try b.esegui(["saldi", "--per", "fonte", "--colonne", "fonte,libero"]).uscita
        #expect(scelte.hasPrefix("Fonte     Libero") || scelte.hasPrefix("Fonte"))
        #expect(!scelte.contains("Assegnato"))
        #expect(try b.esegui(["saldi", "--colonne", "pippo"]).codice == 1)
        #expect(try b.esegui(["saldi", "--per", "fonte", "--colonne", "fonte,libero", "--formato", "json"]).json()["righe"]?.descriptionSafe != nil)
    }
}

/// `--formato xlsx --uscita FILE` writes a workbook that a spreadsheet library opens, with numbers and dates.
struct CartellaDiLavoroTests {
    @Test func laCartellaDiLavoroSiApre() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let controllo = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            for ws in wb.worksheets:
                righe = [[c.value for c in r] for r in ws.iter_rows()]
                print(ws.title, len(righe), repr(righe[1] if len(righe) > 1 else None))
            """
        let script = try b.scriviFile("leggi.py", controllo)
        func leggi(_ file: String) throws -> (Int32, String) { try Binario.python([script, file]) }
        guard try Binario.python(["-c", "import openpyxl"]).codice == 0 else {
            print("laCartellaDiLavoroSiApre: saltato, openpyxl non installato (pip install openpyxl; .ci/run lo installa)")
            return
        }
        let prospetto = b.cartella.appendingPathComponent("prospetto.xlsx").path
        #expect(try b.esegui(["prospetto", "--formato", "xlsx", "--uscita", prospetto]).codice == 0)
        let (rc, testo) = try leggi(prospetto)
        #expect(rc == 0)
        #expect(testo.contains("Fonti 2 ['FNA-2023', 'FNA', 2023, 'DGR 1/2023', True, 100000.0, 100000.0, 92000.0, 45000.0, 45000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -45000.0]"), "\(testo)")
        #expect(testo.contains("Totale 2"))
        let storia = b.cartella.appendingPathComponent("storia.xlsx").path
        #expect(try b.esegui(["storia", "--impegno", "2023/1", "--formato", "xlsx", "--uscita", storia]).codice == 0)
        #expect(try leggi(storia).1.contains("datetime.datetime(2023, 2, 1, 0, 0)"))
        let residui = b.cartella.appendingPathComponent("residui.xlsx").path
        #expect(try b.esegui(["residui", "--formato", "xlsx", "--uscita", residui]).codice == 0)
        #expect(try leggi(residui).1.hasPrefix("Fonti 2"))
        #expect(try b.esegui(["saldi", "--formato", "xlsx"]).codice == 1)
        #expect(try b.esegui(["impegna", "--formato", "xlsx", "--numero", "1", "--fonte", "F", "--servizio", "S", "--esercizio", "2023", "--importo", "1",
                              "--creditore", "C", "--oggetto", "O", "--atto", "A"]).codice == 1)
    }
}

extension ValoreJSON {
    var descriptionSafe: String? { testoCanonico }
}
