import Fondi
import Foundation
import ZIPFoundation

/// `--formato xlsx --uscita FILE` (DOMAIN §7): a real Office Open XML workbook, one sheet per table,
/// Italian headers, amounts as numbers in euro with two decimals, dates as dates. Zipped by ZIPFoundation;
/// strings inline (no shared-strings table), so each sheet is written in one pass.
public enum Xlsx {
    /// Writes the workbook to `percorso` (replacing it), via a temporary file renamed into place, so a
    /// failure leaves no half-written workbook.
    /// `totali[i]`: a last row under table i with the sum of each amount column (`SUBTOTAL`, so a filter narrows it).
    public static func scrivi(_ tabelle: [Tabella], in percorso: String, totali: [Bool] = []) throws {
        let temporaneo = percorso + ".tmp-\(getpid())"
        let url = URL(fileURLWithPath: temporaneo)
        try? FileManager.default.removeItem(at: url)
        do {
            let archivio = try Archive(url: url, accessMode: .create)
            var usati: Set<String> = []
            let fogli = tabelle.map { t in (nome: nomeFoglio(t.nome, usati: &usati), tabella: t) }
            try aggiungi(archivio, "[Content_Types].xml", tipiDiContenuto(fogli.count))
            try aggiungi(archivio, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """)
            try aggiungi(archivio, "xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
                \(fogli.enumerated().map { "<sheet name=\"\(xml($0.element.nome))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())\
                </sheets></workbook>
                """)
            try aggiungi(archivio, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                \(fogli.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
                <Relationship Id="rId\(fogli.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """)
            try aggiungi(archivio, "xl/styles.xml", stili)
            for (i, f) in fogli.enumerated() {
                try aggiungi(archivio, "xl/worksheets/sheet\(i + 1).xml", foglio(f.tabella, totali: i < totali.count && totali[i]))
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw ErroreValore("impossibile scrivere il file '\(percorso)': \(error)")
        }
        guard rename(temporaneo, percorso) == 0 else {
            let motivo = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: url)
            throw ErroreValore("impossibile scrivere il file '\(percorso)': \(motivo)")
        }
    }

    static func aggiungi(_ archivio: Archive, _ percorso: String, _ testo: String) throws {
        let dati = Data(testo.utf8)
        try archivio.addEntry(with: percorso, type: .file, uncompressedSize: Int64(dati.count), compressionMethod: .deflate) { posizione, dimensione in
            dati.subdata(in: Int(posizione)..<Int(posizione) + dimensione)
        }
    }

    /// Sheet names: the table's name capitalised, at most 31 characters, none of `[]:*?/\`, unique.
    static func nomeFoglio(_ nome: String, usati: inout Set<String>) -> String {
        let base = String((nome.prefix(1).uppercased() + nome.dropFirst()).filter { !"[]:*?/\\".contains($0) }.prefix(28))
        var candidato = base.isEmpty ? "Foglio" : base
        var n = 2
        while usati.contains(candidato) { candidato = "\(base) \(n)"; n += 1 }
        usati.insert(candidato)
        return candidato
    }

    static func tipiDiContenuto(_ n: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \((1...max(n, 1)).map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        </Types>
        """
    }

    /// Style 0 default, 1 bold header, 2 amount `#.##0,00` (format 4), 3 date `gg/mm/aaaa` (format 14), 4 bold amount (totals).
    static let stili = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """

    /// Each column as wide as its header or its widest cell as shown (amounts with separators), 8 to 60 characters.
    static func larghezze(_ t: Tabella) -> [Int] {
        var l = t.colonne.map { Rendering.intestazione($0).count + 3 }
        for riga in t.righe.prefix(5_000) {
            for (i, c) in riga.enumerated() where i < l.count { l[i] = max(l[i], Rendering.larghezzaCella(c) + 2) }
        }
        return l.map { min(max($0, 8), 60) }
    }

    static func foglio(_ t: Tabella, totali: Bool = false) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        out += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        out += "<cols>" + larghezze(t).enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }.joined() + "</cols><sheetData>"
        out += "<row r=\"1\">" + t.colonne.enumerated().map { i, c in
            "<c r=\"\(colonna(i))1\" t=\"inlineStr\" s=\"1\"><is><t>\(xml(Rendering.intestazione(c)))</t></is></c>"
        }.joined() + "</row>"
        for (r, riga) in t.righe.enumerated() {
            let n = r + 2
            out += "<row r=\"\(n)\">"
            for (i, cella) in riga.enumerated() {
                let rif = "\(colonna(i))\(n)"
                switch cella {
                case let .testo(s): out += "<c r=\"\(rif)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(xml(s))</t></is></c>"
                case let .intero(v): out += "<c r=\"\(rif)\"><v>\(v)</v></c>"
                case let .importo(v): out += "<c r=\"\(rif)\" s=\"2\"><v>\(Importo.formatoPunto(v))</v></c>"
                case let .booleano(b): out += "<c r=\"\(rif)\" t=\"b\"><v>\(b ? 1 : 0)</v></c>"
                case let .data(d): out += "<c r=\"\(rif)\" s=\"3\"><v>\(seriale(d))</v></c>"
                case .nullo: break
                }
            }
            out += "</row>"
        }
        let ultima = t.righe.count + 1
        if totali, t.righe.count > 1, let somme = Rendering.totali(t) {
            let n = ultima + 1
            out += "<row r=\"\(n)\"><c r=\"A\(n)\" t=\"inlineStr\" s=\"1\"><is><t>Totale</t></is></c>"
            for (i, somma) in somme.enumerated() where i > 0 {
                guard let somma else { continue }
                let c = colonna(i)
                out += "<c r=\"\(c)\(n)\" s=\"4\"><f>SUBTOTAL(109,\(c)2:\(c)\(ultima))</f><v>\(Importo.formatoPunto(somma))</v></c>"
            }
            out += "</row>"
        }
        out += "</sheetData>"
        if !t.colonne.isEmpty { out += "<autoFilter ref=\"A1:\(colonna(t.colonne.count - 1))\(max(ultima, 1))\"/>" }
        return out + "</worksheet>"
    }

    /// `A`, …, `Z`, `AA`, …
    static func colonna(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    /// Days since 1899-12-30, the spreadsheet epoch (valid from 1900-03-01, before any esercizio).
    static func seriale(_ d: DataContabile) -> Int {
        func giorni(_ a: Int, _ m: Int, _ g: Int) -> Int {
            // Days from civil (Howard Hinnant's algorithm).
            let y = m <= 2 ? a - 1 : a
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + g - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146_097 + doe
        }
        return giorni(d.anno, d.mese, d.giorno) - giorni(1899, 12, 30)
    }

    /// XML text: escapes `& < > "` and drops characters XML 1.0 cannot hold (text is already rule-13 clean).
    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if u.value < 0x20 && u != "\t" && u != "\n" && u != "\r" { continue }
                if u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
