# Odoo 18 (official image) with the Python and OCA dependencies of this project's add-ons.
# The add-ons themselves are mounted by docker-compose.yml at /mnt/extra-addons.
FROM odoo:18.0

USER root
# A font with Chinese glyphs, whatever the base image brings: without one, wkhtmltopdf prints the
# Chinese text of the PDFs (zh_CN recall notice letters, ledgers) as blanks. The build stops if
# fontconfig still finds none.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fontconfig fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/* \
    && fc-list :lang=zh | grep -q .
COPY requirements.txt /tmp/requirements.txt
# The image's Python is the system one (Debian/Ubuntu), hence --break-system-packages.
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
USER odoo
