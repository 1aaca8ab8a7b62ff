#!/bin/sh
# Remakes the LibreOffice fixtures of LibreOfficeCsvTest: the app's export, as a person would keep it
# in a spreadsheet and save it back as CSV. Each of export/people.csv and export/movies.csv (written
# by the app's GET /people.csv and GET /movies.csv over a database of awkward values: accents,
# characters beyond the BMP, commas, quotes, semicolons, a line break, a tab, cells guarded with a '
# because they start with = + - @, numbers, dates and times as titles, an empty year, gaps in the ids)
# is opened by LibreOffice as UTF-8 CSV and saved as .xlsx, then the .xlsx opened and saved as CSV
# (UTF-8, comma, double quote) into saved/. Both steps run headless, with a profile of their own.
#
# Usage: make.sh [EXPORT_DIR [OUT_DIR]]   (defaults: export/ and saved/ beside this script)
# Needs soffice (Debian: libreoffice-calc-nogui). CI does not run this; the test reads the files it made.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export_dir=${1:-$here/export}
out_dir=${2:-$here/saved}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out_dir" "$work/xlsx"
profile="file://$work/profile"

# CSV filter options, comma-separated tokens: field separator 44 (,), text delimiter 34 ("),
# character set 76 (UTF-8), first line 1.
options=44,34,76,1
for kind in people movies; do
    soffice -env:UserInstallation="$profile" --headless --infilter="CSV:$options" \
        --convert-to xlsx --outdir "$work/xlsx" "$export_dir/$kind.csv" >/dev/null
    soffice -env:UserInstallation="$profile" --headless \
        --convert-to "csv:Text - txt - csv (StarCalc):$options" --outdir "$out_dir" "$work/xlsx/$kind.xlsx" >/dev/null
done
soffice --version | sed "/^$/d" > "$out_dir/VERSION"
echo "wrote $(ls "$out_dir" | tr '\n' ' ')in $out_dir"
