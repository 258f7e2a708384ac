package deps
import (
	_ "github.com/go-kivik/kivik/v4"
	_ "github.com/go-kivik/kivik/v4/couchdb"
	_ "github.com/rabbitmq/amqp091-go"
	_ "github.com/duosecurity/duo_api_golang/authapi"
	_ "github.com/golang-jwt/jwt/v5"
	_ "github.com/gorilla/mux"
	_ "github.com/sirupsen/logrus"
	_ "github.com/chromedp/chromedp"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "go.uber.org/goleak"
	_ "golang.org/x/term"
	_ "github.com/schollz/progressbar/v3"
)
